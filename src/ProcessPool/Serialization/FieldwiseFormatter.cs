using System.Reflection;
using System.Reflection.Emit;
using System.Runtime.CompilerServices;
using MessagePack;
using MessagePack.Formatters;

namespace ProcessPool.Serialization;

/// <summary>
/// Ships a value of one of the app's own types field by field, each by its declared type, and rebuilds
/// it without running a constructor, as pickle rebuilds <c>__dict__</c> and as targets travel
/// (<see cref="FieldLayout"/>). Private and read-only state, get-only properties and constructors whose
/// parameters do not match the members all survive the trip. The value is an array of its
/// <see cref="ShippedFields"/>; the code that reads and writes them is emitted once per type, so a Map
/// over records costs what MessagePack's own generated formatters cost.
/// </summary>
/// <remarks>
/// A value whose run-time type is a subclass of the declared one travels as itself when
/// <see cref="ProcessPoolOptions.AllowedTypes"/> lists it (see <see cref="AllowListFormatter{T}"/>), and is
/// refused otherwise: copying only the declared fields would change it silently.
/// </remarks>
internal sealed class FieldwiseFormatter<T> : IMessagePackFormatter<T>
{
    private static readonly FieldInfo[] s_fields = ShippedFields.Of(typeof(T));
    private static readonly WriteFields s_write = EmitWriter();
    private static readonly ReadFields s_read = EmitReader();

    private delegate void WriteFields(ref MessagePackWriter writer, ref T value, MessagePackSerializerOptions options);

    private delegate void ReadFields(ref MessagePackReader reader, ref T value, MessagePackSerializerOptions options);

    public static FieldwiseFormatter<T> Instance { get; } = new();

    public void Serialize(ref MessagePackWriter writer, T value, MessagePackSerializerOptions options)
    {
        if (value is null)
        {
            writer.WriteNil();
            return;
        }

        writer.WriteArrayHeader(s_fields.Length);
        s_write(ref writer, ref value, options);
    }

    public T Deserialize(ref MessagePackReader reader, MessagePackSerializerOptions options)
    {
        if (!typeof(T).IsValueType && reader.TryReadNil())
        {
            return default!;
        }

        options.Security.DepthStep(ref reader);
        int count = reader.ReadArrayHeader();
        if (count != s_fields.Length)
        {
            throw new MessagePackSerializationException($"A {TypeCheck.Describe(typeof(T))} arrived with {count} fields; this build of it has {s_fields.Length}.");
        }

        var value = typeof(T).IsValueType ? default! : (T)RuntimeHelpers.GetUninitializedObject(typeof(T));
        s_read(ref reader, ref value, options);
        reader.Depth--;
        return value;
    }

    private static string Describe(FieldInfo field) => FieldNames.Describe(field, typeof(T));

    private static WriteFields EmitWriter()
    {
        var method = new DynamicMethod($"Write{typeof(T).Name}", typeof(void),
            [typeof(MessagePackWriter).MakeByRefType(), typeof(T).MakeByRefType(), typeof(MessagePackSerializerOptions)],
            typeof(FieldwiseFormatter<T>).Module, skipVisibility: true);
        var il = method.GetILGenerator();
        foreach (var field in s_fields)
        {
            il.Emit(OpCodes.Ldarg_0);
            LoadValue(il);
            il.Emit(OpCodes.Ldfld, field);
            il.Emit(OpCodes.Ldarg_2);
            il.Emit(OpCodes.Ldstr, Describe(field));
            il.Emit(OpCodes.Call, typeof(FieldIO).GetMethod(nameof(FieldIO.Write))!.MakeGenericMethod(field.FieldType));
        }

        il.Emit(OpCodes.Ret);
        return method.CreateDelegate<WriteFields>();
    }

    private static ReadFields EmitReader()
    {
        var method = new DynamicMethod($"Read{typeof(T).Name}", typeof(void),
            [typeof(MessagePackReader).MakeByRefType(), typeof(T).MakeByRefType(), typeof(MessagePackSerializerOptions)],
            typeof(FieldwiseFormatter<T>).Module, skipVisibility: true);
        var il = method.GetILGenerator();
        foreach (var field in s_fields)
        {
            LoadValue(il);
            il.Emit(OpCodes.Ldarg_0);
            il.Emit(OpCodes.Ldarg_2);
            il.Emit(OpCodes.Ldstr, Describe(field));
            il.Emit(OpCodes.Call, typeof(FieldIO).GetMethod(nameof(FieldIO.Read))!.MakeGenericMethod(field.FieldType));
            il.Emit(OpCodes.Stfld, field);
        }

        il.Emit(OpCodes.Ret);
        return method.CreateDelegate<ReadFields>();
    }

    // The value arrives by reference: a struct's fields are reached through it, a class's through the reference it holds.
    private static void LoadValue(ILGenerator il)
    {
        il.Emit(OpCodes.Ldarg_1);
        if (!typeof(T).IsValueType)
        {
            il.Emit(OpCodes.Ldind_Ref);
        }
    }
}

/// <summary>One field of a value shipped field by field: its formatter, with the field named in any error.</summary>
internal static class FieldIO
{
    public static void Write<TField>(ref MessagePackWriter writer, TField value, MessagePackSerializerOptions options, string description)
    {
        if (value is null)
        {
            writer.WriteNil(); // nothing process-bound travels in a null, whatever its declared type (an unsubscribed event)
            return;
        }

        try
        {
            PayloadFormatters<TField>.Instance.Serialize(ref writer, value, options);
        }
        catch (Exception e) when (e is not InsufficientExecutionStackException)
        {
            throw PayloadGraphException.Wrap(e, description);
        }
    }

    public static TField Read<TField>(ref MessagePackReader reader, MessagePackSerializerOptions options, string description)
    {
        try
        {
            return default(TField) is null && reader.TryReadNil() ? default! : PayloadFormatters<TField>.Instance.Deserialize(ref reader, options);
        }
        catch (Exception e) when (e is not InsufficientExecutionStackException)
        {
            throw PayloadGraphException.Wrap(e, description);
        }
    }
}
