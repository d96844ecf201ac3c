using System.Collections.Concurrent;
using System.Numerics;
using MessagePack;

namespace ProcessPool.Serialization;

/// <summary>
/// Names a value's run-time type inside a payload without naming an assembly where it need not: the
/// common framework types by a small code (implicitly allowed: building them runs no user code), arrays
/// and the common generic collections by the codes of their parts, and anything else by its
/// assembly-qualified name, which the reader accepts only if <see cref="ProcessPoolOptions.AllowedTypes"/>
/// lists it (the pool's <see cref="PayloadContext"/>) or it names an enum of an assembly the reader has loaded. A descriptor is an int, <c>[-1, element]</c> for an
/// array, <c>[code, arguments...]</c> for a generic type, or a name.
/// </summary>
internal static class TypeDescriptors
{
    private const int ArrayCode = -1;
    private const int MaxNesting = 16;

    private static readonly Type[] s_closed =
    [
        typeof(object), typeof(bool), typeof(byte), typeof(sbyte), typeof(short), typeof(ushort), typeof(int), typeof(uint),
        typeof(long), typeof(ulong), typeof(float), typeof(double), typeof(decimal), typeof(char), typeof(string),
        typeof(DateTime), typeof(DateTimeOffset), typeof(TimeSpan), typeof(Guid), typeof(DateOnly), typeof(TimeOnly),
        typeof(Half), typeof(Int128), typeof(UInt128), typeof(BigInteger), typeof(Complex), typeof(Uri), typeof(Version),
    ];

    private static readonly Type[] s_generic =
    [
        typeof(List<>), typeof(Dictionary<,>), typeof(HashSet<>), typeof(KeyValuePair<,>), typeof(SortedDictionary<,>),
        typeof(SortedSet<>), typeof(SortedList<,>), typeof(Queue<>), typeof(Stack<>), typeof(LinkedList<>),
        typeof(ValueTuple<>), typeof(ValueTuple<,>), typeof(ValueTuple<,,>), typeof(ValueTuple<,,,>),
        typeof(ValueTuple<,,,,>), typeof(ValueTuple<,,,,,>), typeof(ValueTuple<,,,,,,>),
        typeof(Tuple<>), typeof(Tuple<,>), typeof(Tuple<,,>), typeof(Tuple<,,,>), typeof(Tuple<,,,,>), typeof(Tuple<,,,,,>), typeof(Tuple<,,,,,,>),
        typeof(Nullable<>), typeof(System.Collections.ObjectModel.ReadOnlyCollection<>), typeof(System.Collections.ObjectModel.Collection<>),
        typeof(System.Collections.ObjectModel.ObservableCollection<>), typeof(System.Collections.ObjectModel.ReadOnlyDictionary<,>),
        typeof(System.Collections.Concurrent.ConcurrentDictionary<,>), typeof(System.Collections.Concurrent.ConcurrentQueue<>),
        typeof(System.Collections.Concurrent.ConcurrentStack<>), typeof(System.Collections.Concurrent.ConcurrentBag<>),
        typeof(System.Collections.Immutable.ImmutableArray<>), typeof(System.Collections.Immutable.ImmutableList<>),
        typeof(System.Collections.Immutable.ImmutableDictionary<,>), typeof(System.Collections.Immutable.ImmutableHashSet<>),
        typeof(System.Collections.Immutable.ImmutableSortedDictionary<,>), typeof(System.Collections.Immutable.ImmutableSortedSet<>),
        typeof(System.Collections.Immutable.ImmutableQueue<>), typeof(System.Collections.Immutable.ImmutableStack<>),
    ];

    private static readonly Dictionary<Type, int> s_closedCodes = s_closed.Select((t, i) => (t, i)).ToDictionary(p => p.t, p => p.i);
    private static readonly Dictionary<Type, int> s_genericCodes = s_generic.Select((t, i) => (t, i)).ToDictionary(p => p.t, p => p.i);

    // Descriptors of types made only of well-known parts do not depend on any pool's list: worked out once.
    private static readonly ConcurrentDictionary<Type, byte[]?> s_wellKnown = new();

    /// <summary>Whether <paramref name="type"/> is made only of well-known parts, so any reader may build it.</summary>
    public static bool IsWellKnown(Type type) => WellKnownBytes(type) is not null;

    /// <summary>
    /// Writes the descriptor of <paramref name="type"/>; false (nothing written) when a part of it is
    /// neither well known nor allowed: <paramref name="culprit"/> names that part.
    /// </summary>
    public static bool TryWrite(ref MessagePackWriter writer, Type type, PayloadContext context, out Type? culprit)
    {
        if (WellKnownBytes(type) is { } known)
        {
            writer.WriteRaw(known);
            culprit = null;
            return true;
        }

        culprit = FirstUnnameable(type, context, 0);
        if (culprit is not null)
        {
            return false;
        }

        WriteDescriptor(ref writer, type);
        return true;
    }

    /// <summary>Reads a descriptor, building only well-known or allowed types.</summary>
    public static Type Read(ref MessagePackReader reader, PayloadContext context, int nesting = 0)
    {
        if (nesting > MaxNesting)
        {
            throw new MessagePackSerializationException("A type descriptor is nested too deeply.");
        }

        switch (reader.NextMessagePackType)
        {
            case MessagePackType.Integer:
                int code = reader.ReadInt32();
                return code >= 0 && code < s_closed.Length ? s_closed[code] : throw Unknown(code);
            case MessagePackType.String:
                string name = reader.ReadString() ?? "";
                return context.TryResolve(name, out var allowed) ? allowed
                    : ExceptionState.LoadedType(name) is { IsEnum: true } enumeration ? enumeration // building an enum runs no code
                    : throw new MessagePackSerializationException($"The payload names the type '{name}', which is not in ProcessPoolOptions.AllowedTypes; it was refused.");
            case MessagePackType.Array:
                int count = reader.ReadArrayHeader();
                int head = count >= 2 ? reader.ReadInt32() : throw new MessagePackSerializationException("A composite type descriptor needs at least two parts.");
                if (head == ArrayCode)
                {
                    return count == 2 ? Read(ref reader, context, nesting + 1).MakeArrayType() : throw new MessagePackSerializationException("An array type descriptor has one element type.");
                }

                var definition = head >= 0 && head < s_generic.Length ? s_generic[head] : throw Unknown(head);
                if (definition.GetGenericArguments().Length != count - 1)
                {
                    throw new MessagePackSerializationException($"{definition.Name} takes {definition.GetGenericArguments().Length} type arguments, not {count - 1}.");
                }

                var arguments = new Type[count - 1];
                for (int i = 0; i < arguments.Length; i++)
                {
                    arguments[i] = Read(ref reader, context, nesting + 1);
                }

                try
                {
                    return definition.MakeGenericType(arguments);
                }
                catch (ArgumentException e)
                {
                    throw new MessagePackSerializationException($"{definition.Name} cannot take these type arguments: {e.Message}", e);
                }

            default:
                throw new MessagePackSerializationException($"A type descriptor cannot be a {reader.NextMessagePackType}.");
        }
    }

    private static MessagePackSerializationException Unknown(int code) => new($"Type code {code} is not one this build knows.");

    private static byte[]? WellKnownBytes(Type type) => s_wellKnown.GetOrAdd(type, static t =>
    {
        if (!IsWellKnownShape(t, 0))
        {
            return null;
        }

        var buffer = new System.Buffers.ArrayBufferWriter<byte>(16);
        var writer = new MessagePackWriter(buffer);
        WriteDescriptor(ref writer, t);
        writer.Flush();
        return buffer.WrittenSpan.ToArray();
    });

    private static bool IsWellKnownShape(Type type, int nesting) =>
        nesting <= MaxNesting && (s_closedCodes.ContainsKey(type)
        || (type.IsSZArray && IsWellKnownShape(type.GetElementType()!, nesting + 1))
        || (type.IsConstructedGenericType && s_genericCodes.ContainsKey(type.GetGenericTypeDefinition())
            && type.GetGenericArguments().All(a => IsWellKnownShape(a, nesting + 1))));

    /// <summary>The first part of <paramref name="type"/> that is neither well known nor allowed for this pool, or null.</summary>
    private static Type? FirstUnnameable(Type type, PayloadContext context, int nesting)
    {
        if (nesting > MaxNesting)
        {
            return type;
        }

        if (s_closedCodes.ContainsKey(type))
        {
            return null;
        }

        if (type.IsSZArray)
        {
            return FirstUnnameable(type.GetElementType()!, context, nesting + 1);
        }

        if (type.IsConstructedGenericType && s_genericCodes.ContainsKey(type.GetGenericTypeDefinition()))
        {
            return type.GetGenericArguments().Select(a => FirstUnnameable(a, context, nesting + 1)).FirstOrDefault(c => c is not null);
        }

        return type.IsEnum || context.MayWrite(type) ? null : type;
    }

    private static void WriteDescriptor(ref MessagePackWriter writer, Type type)
    {
        if (s_closedCodes.TryGetValue(type, out int code))
        {
            writer.Write(code);
        }
        else if (type.IsSZArray)
        {
            writer.WriteArrayHeader(2);
            writer.Write(ArrayCode);
            WriteDescriptor(ref writer, type.GetElementType()!);
        }
        else if (type.IsConstructedGenericType && s_genericCodes.TryGetValue(type.GetGenericTypeDefinition(), out int generic))
        {
            var arguments = type.GetGenericArguments();
            writer.WriteArrayHeader(arguments.Length + 1);
            writer.Write(generic);
            foreach (var argument in arguments)
            {
                WriteDescriptor(ref writer, argument);
            }
        }
        else
        {
            writer.Write(type.AssemblyQualifiedName);
        }
    }
}
