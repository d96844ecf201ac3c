using MessagePack;

namespace ProcessPool.Protocol;

/// <summary>
/// An exception as it crosses the process boundary: its type, message and stack trace, its inner
/// exceptions (all of an <see cref="AggregateException"/>'s), the values of its fields that could travel
/// (each already serialized, so the parent can skip one it cannot read), and its <c>Data</c> entries.
/// Wire form: <c>[type, message, stack trace, [inner...], [[declaring type, field, bytes]...], data bytes or nil]</c>.
/// </summary>
internal sealed record ExceptionInfo(
    string TypeName,
    string Message,
    string? StackTrace,
    IReadOnlyList<ExceptionInfo> Inner,
    IReadOnlyList<ExceptionField> Fields,
    ReadOnlyMemory<byte> Data)
{
    /// <summary>How deep inner exceptions nest on the wire; deeper ones are left out.</summary>
    public const int MaxDepth = 8;

    private const int FieldCount = 6;
    private const int MaxInner = 1024;

    /// <summary>Type, message, stack trace and inner exceptions only: for exceptions the worker makes itself.</summary>
    public static ExceptionInfo From(Exception exception, int depth = 0) => new(
        NameOf(exception.GetType()),
        MessageOf(exception),
        StackTraceOf(exception),
        depth < MaxDepth ? [.. InnerOf(exception).Take(MaxInner).Select(i => From(i, depth + 1))] : [],
        [],
        ReadOnlyMemory<byte>.Empty);

    /// <summary>The exception's message; an exception's own code computes it, and that code may throw.</summary>
    public static string MessageOf(Exception exception)
    {
        try
        {
            return exception.Message;
        }
        catch (Exception e)
        {
            return $"(its Message could not be read: {e.GetType().Name})";
        }
    }

    /// <summary>The exception's stack trace, or null if it cannot be read.</summary>
    public static string? StackTraceOf(Exception exception)
    {
        try
        {
            return exception.StackTrace;
        }
        catch (Exception)
        {
            return null;
        }
    }

    public static string NameOf(Type type) => type.AssemblyQualifiedName ?? type.FullName ?? type.Name;

    /// <summary>The exceptions inside <paramref name="exception"/>: all of an aggregate's, else its inner exception.</summary>
    public static IEnumerable<Exception> InnerOf(Exception exception)
    {
        try
        {
            return exception is AggregateException aggregate ? [.. aggregate.InnerExceptions]
                : exception.InnerException is { } inner ? [inner]
                : [];
        }
        catch (Exception)
        {
            return []; // a subclass that overrides what it holds, and throws
        }
    }

    public void Write(ref MessagePackWriter writer)
    {
        writer.WriteArrayHeader(FieldCount);
        writer.Write(TypeName);
        writer.Write(Message);
        writer.Write(StackTrace);
        writer.WriteArrayHeader(Inner.Count);
        foreach (var inner in Inner)
        {
            inner.Write(ref writer);
        }

        writer.WriteArrayHeader(Fields.Count);
        foreach (var field in Fields)
        {
            writer.WriteArrayHeader(3);
            writer.Write(field.DeclaringType);
            writer.Write(field.Name);
            writer.Write(field.Payload.Span);
        }

        if (Data.IsEmpty)
        {
            writer.WriteNil();
        }
        else
        {
            writer.Write(Data.Span);
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
            if (count != FieldCount)
            {
                throw new ProtocolException($"An exception record has {count} fields; {FieldCount} were expected.");
            }

            string typeName = reader.ReadString() ?? "System.Exception";
            string message = reader.ReadString() ?? "";
            string? stackTrace = reader.ReadString();
            int innerCount = reader.ReadArrayHeader();
            if (innerCount > MaxInner)
            {
                throw new ProtocolException($"An exception record is malformed: it announces {innerCount} inner exceptions.");
            }

            var inner = new ExceptionInfo[innerCount];
            for (int i = 0; i < inner.Length; i++)
            {
                inner[i] = Read(ref reader, depth + 1);
            }

            int fieldCount = reader.ReadArrayHeader();
            var fields = new List<ExceptionField>(Math.Min(fieldCount, 64));
            for (int i = 0; i < fieldCount; i++)
            {
                if (reader.ReadArrayHeader() != 3)
                {
                    throw new ProtocolException("An exception field must hold its declaring type, its name and its value.");
                }

                fields.Add(new ExceptionField(reader.ReadString() ?? "", reader.ReadString() ?? "", Bytes(ref reader)));
            }

            var data = reader.TryReadNil() ? ReadOnlyMemory<byte>.Empty : Bytes(ref reader);
            return new ExceptionInfo(typeName, message, stackTrace, inner, fields, data);
        }
        catch (Exception e) when (e is not ProtocolException)
        {
            throw Malformed.Error("An exception record", e);
        }
    }

    private static ReadOnlyMemory<byte> Bytes(ref MessagePackReader reader) =>
        reader.ReadBytes() is { } bytes ? System.Buffers.BuffersExtensions.ToArray(bytes) : ReadOnlyMemory<byte>.Empty;
}

/// <summary>One field of an exception, serialized as its declared type.</summary>
internal readonly record struct ExceptionField(string DeclaringType, string Name, ReadOnlyMemory<byte> Payload);
