using MessagePack;

namespace ProcessPool.Protocol;

/// <summary>An exception as it crosses the process boundary: type, message, stack trace, inner exception.</summary>
internal sealed record ExceptionInfo(string TypeName, string Message, string? StackTrace, string? ParamName, ExceptionInfo? Inner)
{
    private const int MaxDepth = 8;

    public static ExceptionInfo From(Exception exception, int depth = 0)
    {
        var inner = exception.InnerException is { } i && depth < MaxDepth ? From(i, depth + 1) : null;
        return new ExceptionInfo(
            exception.GetType().AssemblyQualifiedName ?? exception.GetType().FullName ?? exception.GetType().Name,
            exception.Message,
            exception.StackTrace,
            (exception as ArgumentException)?.ParamName,
            inner);
    }

    public void Write(ref MessagePackWriter writer)
    {
        writer.WriteArrayHeader(5);
        writer.Write(TypeName);
        writer.Write(Message);
        writer.Write(StackTrace);
        writer.Write(ParamName);
        if (Inner is null)
        {
            writer.WriteNil();
        }
        else
        {
            Inner.Write(ref writer);
        }
    }

    public static ExceptionInfo Read(ref MessagePackReader reader, int depth = 0)
    {
        if (depth > MaxDepth)
        {
            throw new ProtocolException("Exception nesting is deeper than allowed.");
        }

        try
        {
            int count = reader.ReadArrayHeader();
            if (count != 5)
            {
                throw new ProtocolException($"An exception record has {count} fields; 5 were expected.");
            }

            string typeName = reader.ReadString() ?? "System.Exception";
            string message = reader.ReadString() ?? "";
            string? stackTrace = reader.ReadString();
            string? paramName = reader.ReadString();
            var inner = reader.TryReadNil() ? null : Read(ref reader, depth + 1);
            return new ExceptionInfo(typeName, message, stackTrace, paramName, inner);
        }
        catch (Exception e) when (e is not ProtocolException)
        {
            throw Malformed.Error("An exception record", e);
        }
    }
}
