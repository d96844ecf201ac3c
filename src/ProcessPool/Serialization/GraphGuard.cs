using System.Runtime.CompilerServices;
using MessagePack;
using MessagePack.Formatters;

namespace ProcessPool.Serialization;

/// <summary>
/// Every composite value passes through here, both ways. MessagePack copies values, not references,
/// and does not detect cycles: a graph that points back at itself would recurse until the stack
/// overflows and takes the process down. So the guard
/// <list type="bullet">
/// <item>refuses a real cycle as a cycle: past <see cref="CycleCheckDepth"/> levels it tracks the objects
/// on the current path, so a cycle is caught within one turn of it, while shallow graphs pay nothing;</item>
/// <item>lets deep but finite graphs through (a linked list of many thousand nodes): when this thread's
/// stack runs low, the rest of the value is written or read on a fresh thread with a large stack
/// (<see cref="DeepStack"/>), up to <see cref="MaxDepth"/> levels;</item>
/// <item>refuses a stream or handle nested inside an argument like a top-level one.</item>
/// </list>
/// </summary>
internal sealed class GraphGuard<T>(IMessagePackFormatter<T> inner) : IMessagePackFormatter<T>
{
    /// <summary>How deep a value may nest; deeper is refused clearly (it also bounds what a reader accepts).</summary>
    public const int MaxDepth = 100_000;

    private const int CycleCheckDepth = 64;
    private static readonly string? s_problem = TypeCheck.Problem(typeof(T), null);

    public void Serialize(ref MessagePackWriter writer, T value, MessagePackSerializerOptions options)
    {
        if (!RuntimeHelpers.TryEnsureSufficientExecutionStack())
        {
            writer.WriteRaw(DeepStack.Write(this, value, options).WrittenSpan);
            return;
        }

        if (value is null)
        {
            writer.WriteNil();
            return;
        }

        string? problem = s_problem ?? (typeof(T).IsValueType ? null : TypeCheck.Problem(typeof(T), value.GetType()));
        if (problem is not null)
        {
            throw new PayloadGraphException($"it holds a {TypeCheck.Describe(typeof(T).IsValueType ? typeof(T) : value.GetType())}: {problem}");
        }

        var graph = PayloadOptions.Of(options).Writing; // this write's own path: concurrent writes never share it
        int depth = ++graph.Depth;
        bool tracked = false;
        try
        {
            if (depth > MaxDepth)
            {
                throw new PayloadGraphException($"the object graph is nested more than {MaxDepth:N0} levels deep.");
            }

            // A value declared as object passes here twice (as object, then as its own type): only its
            // own type's guard tracks it, or it would meet itself on the path and look like a cycle.
            if (!typeof(T).IsValueType && typeof(T) != typeof(object) && depth > CycleCheckDepth)
            {
                tracked = graph.Enter(value);
                if (!tracked)
                {
                    throw new PayloadGraphException(
                        $"the object graph has a cycle: a {FieldNames.Friendly(value.GetType())} leads, through its fields, to an object that leads back to it (the graph does refer back to itself). "
                        + "Values travel as copies, not references; break the cycle (send ids instead of back-references) before sending.");
                }
            }

            inner.Serialize(ref writer, value, options);
        }
        finally
        {
            if (tracked)
            {
                graph.Leave(value!);
            }

            graph.Depth--;
        }
    }

    public T Deserialize(ref MessagePackReader reader, MessagePackSerializerOptions options)
    {
        if (!RuntimeHelpers.TryEnsureSufficientExecutionStack())
        {
            var rest = reader.Sequence.Slice(reader.Position);
            (var value, long consumed) = DeepStack.Read(this, rest, reader.Depth, options);
            reader.ReadRaw(consumed);
            return value;
        }

        return inner.Deserialize(ref reader, options);
    }
}
