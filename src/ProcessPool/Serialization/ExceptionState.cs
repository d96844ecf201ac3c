using System.Buffers;
using System.Collections.ObjectModel;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using MessagePack;
using ProcessPool.Protocol;

namespace ProcessPool.Serialization;

/// <summary>
/// Exceptions cross the process boundary as their state, the way pickle carries an exception's
/// <c>__dict__</c>: every instance field of the exception's class and its bases that can travel, each
/// serialized on its own so that one that cannot (a stream, a task) is left out without losing the rest.
/// The parent rebuilds the same type without running a constructor and sets the fields back, so a
/// message computed from state (<see cref="ArgumentOutOfRangeException.ActualValue"/>, an aggregate's
/// inner messages, a type initializer's type name) reads exactly as it did in the worker, and custom
/// properties and <see cref="Exception.Data"/> entries survive. Of <see cref="Exception"/>'s own fields
/// only the message, help link, source and HResult travel; the stack trace travels as text and is
/// attached as the remote stack trace; inner exceptions travel as exceptions.
/// </summary>
internal static class ExceptionState
{
    private const BindingFlags Declared = BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly;
    private static readonly HashSet<string> s_baseFields = new(StringComparer.Ordinal) { "_message", "_helpURL", "_source", "_HResult" };
    private static readonly FieldInfo? s_message = typeof(Exception).GetField("_message", Declared);
    private static readonly FieldInfo? s_inner = typeof(Exception).GetField("_innerException", Declared);

    // Only a recursion guard, not a setting: it holds the exceptions whose capture is under way on this
    // thread's stack (Capture -> a field's formatter -> Capture), and is empty again when Capture returns.
    [ThreadStatic]
    private static HashSet<Exception>? t_capturing;

    /// <summary>
    /// The worker's side: the exception with every field that can travel, written with
    /// <paramref name="context"/>'s allowed types (arrays inline).
    /// </summary>
    public static ExceptionInfo Capture(Exception exception, PayloadContext context, int depth = 0)
    {
        // An exception that refers to itself (a Cause field, an inner exception set to itself) must not be
        // walked again and again: while it is being captured, a field that leads back to it is left out.
        var capturing = t_capturing ??= new HashSet<Exception>(ReferenceEqualityComparer.Instance);
        if (!capturing.Add(exception))
        {
            return ExceptionInfo.From(exception, ExceptionInfo.MaxDepth);
        }

        try
        {
            var inner = depth < ExceptionInfo.MaxDepth
                ? [.. ExceptionInfo.InnerOf(exception).Take(1024).Where(i => !capturing.Contains(i)).Select(i => Capture(i, context, depth + 1))]
                : Array.Empty<ExceptionInfo>();
            var fields = new List<ExceptionField>();
            foreach (var field in ShippedFields.AllOf(exception.GetType()).Where(f => Travels(f) && !ShippedFields.IsNotShipped(f)))
            {
                if (TrySerialize(field.FieldType, field.GetValue(exception), context) is { } payload)
                {
                    fields.Add(new ExceptionField(field.DeclaringType!.FullName ?? "", field.Name, payload));
                }
            }

            return new ExceptionInfo(
                ExceptionInfo.NameOf(exception.GetType()), ExceptionInfo.MessageOf(exception), ExceptionInfo.StackTraceOf(exception), inner, fields, CaptureData(exception, context));
        }
        finally
        {
            capturing.Remove(exception);
        }
    }

    /// <summary>Whether <paramref name="exception"/> is being captured on this thread right now (it leads back to itself).</summary>
    public static bool IsBeingCaptured(Exception exception) => t_capturing?.Contains(exception) ?? false;

    /// <summary>
    /// The parent's side: the exception rebuilt as its own type when this process has that type loaded
    /// (a name from a worker never makes it load an assembly); otherwise a <see cref="RemoteTaskException"/>.
    /// The remote stack trace is attached either way. Never throws: whatever part cannot be rebuilt is
    /// left out, so the task that failed always ends with an exception.
    /// </summary>
    public static Exception Rebuild(ExceptionInfo info, PayloadContext context)
    {
        var inner = info.Inner.Select(i => Rebuild(i, context)).ToArray();
        var type = LoadedType(info.TypeName);
        var exception = (type is null ? null : Attempt(() => FromFields(type, info, inner, context)) ?? Attempt(() => FromConstructor(type, info, inner)))
            ?? new RemoteTaskException(ShortName(info.TypeName), info.Message, info.StackTrace, inner);
        RestoreData(exception, info.Data, context);
        if (!string.IsNullOrEmpty(info.StackTrace))
        {
            try
            {
                ExceptionDispatchInfo.SetRemoteStackTrace(exception, info.StackTrace + Environment.NewLine + "   --- in the worker process ---");
            }
            catch (InvalidOperationException)
            {
                // a constructor that set a stack trace of its own: keep that
            }
        }

        return exception;
    }

    private static Exception? Attempt(Func<Exception?> build)
    {
        try
        {
            return build();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return null; // the next way of building it, or a RemoteTaskException
        }
    }

    /// <summary>Resolves a type name only among the assemblies this process has already loaded.</summary>
    public static Type? LoadedType(string name)
    {
        try
        {
            return Type.GetType(name, LoadedAssembly, typeResolver: null, throwOnError: false);
        }
        catch (Exception e) when (e is FileLoadException or BadImageFormatException or ArgumentException or TypeLoadException)
        {
            return null;
        }
    }

    public static string ShortName(string assemblyQualifiedName)
    {
        int depth = 0;
        for (int i = 0; i < assemblyQualifiedName.Length; i++)
        {
            switch (assemblyQualifiedName[i])
            {
                case '[': depth++; break;
                case ']': depth--; break;
                case ',' when depth == 0: return assemblyQualifiedName[..i];
            }
        }

        return assemblyQualifiedName;
    }

    private static bool Travels(FieldInfo field) =>
        field.DeclaringType == typeof(Exception) ? s_baseFields.Contains(field.Name)
        : field.DeclaringType != typeof(AggregateException); // its inner exceptions travel as Inner

    private static byte[]? TrySerialize(Type declared, object? value, PayloadContext context)
    {
        var inline = context.BeginWrite(sharedMemory: false);
        var buffer = new ArrayBufferWriter<byte>();
        var writer = new MessagePackWriter(buffer);
        try
        {
            if (declared == typeof(Type))
            {
                writer.Write((value as Type)?.AssemblyQualifiedName);
            }
            else
            {
                PayloadSerializer.Write(ref writer, declared, value, inline, "an exception's field");
            }

            writer.Flush();
            return buffer.WrittenSpan.ToArray();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return null; // this field stays behind; the others travel
        }
    }

    private static ReadOnlyMemory<byte> CaptureData(Exception exception, PayloadContext context)
    {
        System.Collections.IDictionary? data;
        try
        {
            data = exception.Data is { Count: > 0 } held ? held : null;
        }
        catch (Exception)
        {
            data = null; // an overridden Data that throws: no entries
        }

        if (data is null)
        {
            return ReadOnlyMemory<byte>.Empty;
        }

        var entries = new List<byte[]>();
        try
        {
            foreach (System.Collections.DictionaryEntry entry in data)
            {
                if (TrySerialize(typeof(object), entry.Key, context) is { } key && TrySerialize(typeof(object), entry.Value, context) is { } value)
                {
                    entries.Add(key);
                    entries.Add(value);
                }
            }
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // a Data dictionary of the app's own that throws: the entries read so far travel
        }

        var buffer = new ArrayBufferWriter<byte>();
        var writer = new MessagePackWriter(buffer);
        writer.WriteArrayHeader(entries.Count);
        foreach (var entry in entries)
        {
            writer.WriteRaw(entry);
        }

        writer.Flush();
        return buffer.WrittenMemory;
    }

    private static void RestoreData(Exception exception, ReadOnlyMemory<byte> data, PayloadContext context)
    {
        if (data.IsEmpty)
        {
            return;
        }

        try
        {
            var reader = new MessagePackReader(data);
            int count = reader.ReadArrayHeader() / 2;
            for (int i = 0; i < count; i++)
            {
                // Each entry on its own: one that cannot be read here is left out, not the ones after it.
                var key = reader.CreatePeekReader();
                reader.Skip();
                var value = reader.CreatePeekReader();
                reader.Skip();
                try
                {
                    if (PayloadSerializer.Read<object>(ref key, context.Reading) is { } k)
                    {
                        exception.Data[k] = PayloadSerializer.Read<object>(ref value, context.Reading);
                    }
                }
                catch (Exception e) when (e is not OutOfMemoryException)
                {
                    // Data is extra detail: what cannot be read is left out
                }
            }
        }
        catch (Exception e) when (e is MessagePackSerializationException or EndOfStreamException)
        {
            // a malformed list of entries: keep what was read
        }
    }

    private static Exception? FromFields(Type type, ExceptionInfo info, Exception[] inner, PayloadContext context)
    {
        if (type.IsAbstract || type.ContainsGenericParameters || !typeof(Exception).IsAssignableFrom(type) || s_message is null)
        {
            return null;
        }

        var exception = (Exception)RuntimeHelpers.GetUninitializedObject(type);
        s_message.SetValue(exception, info.Message); // the computed message, until the raw one is read below
        foreach (var field in info.Fields)
        {
            if (FieldOf(type, field) is { } target)
            {
                TrySet(exception, target, field.Payload, context);
            }
        }

        if (exception is AggregateException)
        {
            foreach (var field in typeof(AggregateException).GetFields(Declared))
            {
                field.SetValue(exception, field.FieldType == typeof(Exception[]) ? inner
                    : field.FieldType == typeof(ReadOnlyCollection<Exception>) ? new ReadOnlyCollection<Exception>(inner)
                    : null);
            }
        }

        s_inner?.SetValue(exception, inner.FirstOrDefault());
        return exception;
    }

    private static FieldInfo? FieldOf(Type type, ExceptionField field)
    {
        for (var t = type; t is not null; t = t.BaseType)
        {
            if (t.FullName == field.DeclaringType)
            {
                return t.GetField(field.Name, Declared);
            }
        }

        return null;
    }

    private static void TrySet(Exception exception, FieldInfo field, ReadOnlyMemory<byte> payload, PayloadContext context)
    {
        try
        {
            var reader = new MessagePackReader(payload);
            object? value = field.FieldType == typeof(Type)
                ? reader.ReadString() is { } name ? LoadedType(name) : null
                : PayloadSerializer.Read(ref reader, field.FieldType, context.Reading);
            if (value is not null || !field.FieldType.IsValueType)
            {
                field.SetValue(exception, value);
            }
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // a field this process cannot read stays at its default; the rest of the exception stands
        }
    }

    // For a type whose fields could not be set (or a future runtime): the common constructors.
    private static Exception? FromConstructor(Type type, ExceptionInfo info, Exception[] inner)
    {
        if (type.IsAbstract || type.ContainsGenericParameters || !typeof(Exception).IsAssignableFrom(type))
        {
            return null;
        }

        try
        {
            if (inner.Length > 0 && type.GetConstructor([typeof(string), typeof(Exception)]) is { } withInner)
            {
                return (Exception)withInner.Invoke([info.Message, inner[0]]);
            }

            return type.GetConstructor([typeof(string)]) is { } withMessage ? (Exception)withMessage.Invoke([info.Message]) : null;
        }
        catch (TargetInvocationException)
        {
            return null;
        }
    }

    private static Assembly? LoadedAssembly(AssemblyName name) =>
        AppDomain.CurrentDomain.GetAssemblies().FirstOrDefault(a => AssemblyName.ReferenceMatchesDefinition(name, a.GetName()));
}
