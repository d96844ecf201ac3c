using MessagePack;

namespace ProcessPool.Protocol;

/// <summary>How the worker obtains the object a delegate is bound to.</summary>
internal enum TargetKind : byte
{
    /// <summary>A static method: no target.</summary>
    None = 0,

    /// <summary>The compiler's stateless lambda holder (<c>&lt;&gt;c</c>): recreated, nothing sent.</summary>
    Singleton = 1,

    /// <summary>A compiler-generated closure: its fields travel with each call.</summary>
    Closure = 2,

    /// <summary>An instance method of a user object: the object travels with each call.</summary>
    Object = 3,
}

/// <summary>
/// Identifies a function across the process boundary: the method by module MVID and metadata token
/// (checked in the worker), the kind of target, and the delegate's declared parameter and result types,
/// which are the only types the worker deserializes arguments as.
/// </summary>
internal sealed record FunctionDefinition(
    string AssemblyName,
    string? AssemblyLocation,
    Guid ModuleVersionId,
    int MetadataToken,
    string DeclaringType,
    string MethodName,
    string[] MethodTypeArguments,
    TargetKind TargetKind,
    string? TargetType,
    string[] ParameterTypes,
    string? ResultType)
{
    private const int FieldCount = 11;

    public void Write(ref MessagePackWriter writer)
    {
        writer.WriteArrayHeader(FieldCount);
        writer.Write(AssemblyName);
        writer.Write(AssemblyLocation);
        writer.Write(ModuleVersionId.ToString("N"));
        writer.Write(MetadataToken);
        writer.Write(DeclaringType);
        writer.Write(MethodName);
        WriteStrings(ref writer, MethodTypeArguments);
        writer.Write((byte)TargetKind);
        writer.Write(TargetType);
        WriteStrings(ref writer, ParameterTypes);
        writer.Write(ResultType);
    }

    public static FunctionDefinition Read(ref MessagePackReader reader)
    {
        try
        {
            int count = reader.ReadArrayHeader();
            if (count != FieldCount)
            {
                throw new ProtocolException($"A function definition has {count} fields; {FieldCount} were expected.");
            }

            return new FunctionDefinition(
                AssemblyName: reader.ReadString() ?? throw new ProtocolException("A function definition has no assembly name."),
                AssemblyLocation: reader.ReadString(),
                ModuleVersionId: Guid.ParseExact(reader.ReadString() ?? "", "N"),
                MetadataToken: reader.ReadInt32(),
                DeclaringType: reader.ReadString() ?? throw new ProtocolException("A function definition has no declaring type."),
                MethodName: reader.ReadString() ?? "",
                MethodTypeArguments: ReadStrings(ref reader),
                TargetKind: ReadTargetKind(ref reader),
                TargetType: reader.ReadString(),
                ParameterTypes: ReadStrings(ref reader),
                ResultType: reader.ReadString());
        }
        catch (Exception e) when (e is not ProtocolException)
        {
            throw Malformed.Error("A function definition", e);
        }
    }

    private static TargetKind ReadTargetKind(ref MessagePackReader reader)
    {
        var kind = (TargetKind)reader.ReadByte();
        return Enum.IsDefined(kind) ? kind : throw new ProtocolException($"A function definition has unknown target kind {(byte)kind}.");
    }

    private static void WriteStrings(ref MessagePackWriter writer, string[] values)
    {
        writer.WriteArrayHeader(values.Length);
        foreach (string value in values)
        {
            writer.Write(value);
        }
    }

    private static string[] ReadStrings(ref MessagePackReader reader)
    {
        int count = reader.ReadArrayHeader();
        var values = new string[count];
        for (int i = 0; i < count; i++)
        {
            values[i] = reader.ReadString() ?? throw new ProtocolException("A type name is missing in a function definition.");
        }

        return values;
    }
}
