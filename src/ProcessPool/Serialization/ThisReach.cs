using System.Collections.Concurrent;
using System.Reflection;

namespace ProcessPool.Serialization;

/// <summary>
/// Which fields of <c>this</c> a submitted function can reach, so that only those travel (as Spark's
/// ClosureCleaner does for Scala closures). Starting from the function, it follows the IL: the methods
/// of <c>this</c>'s class it calls on <c>this</c> (virtual calls resolved against the run-time type),
/// lambdas, local functions and async or iterator state machines, and records every field of the class
/// read or written through <c>this</c>, with the chain of methods that reached it (for error messages).
/// It tracks where <c>this</c> goes with a small abstract stack; when <c>this</c> escapes to code it
/// cannot follow (passed as an argument, stored, returned, a call into a framework base class), it gives
/// up (<see cref="Decided"/> is false, <see cref="Undecided"/> says why) and every field travels, as
/// before. Parent and worker run the same analysis over the same build, so they agree on the fields.
/// </summary>
internal sealed partial class ThisReach
{
    private static readonly ConcurrentDictionary<(Type, MethodInfo, FieldInfo?), ThisReach> s_cache = new();
    private readonly Type _this;
    private readonly FieldInfo? _holder;
    private readonly Dictionary<(Module, int), string> _fields = [];
    private readonly HashSet<(MethodBase, bool)> _visited = [];
    private readonly Queue<(MethodBase Method, bool ReceiverIsThis, string Path)> _pending = new();

    private ThisReach(Type thisType, FieldInfo? holder)
    {
        _this = thisType;
        _holder = holder;
    }

    /// <summary>Why the analysis could not decide, or null when it did.</summary>
    public string? Undecided { get; private set; }

    public bool Decided => Undecided is null;

    /// <summary>
    /// The reach of <paramref name="entry"/> into an object of run-time type <paramref name="thisType"/>:
    /// the entry's own receiver when <paramref name="holder"/> is null (a method of the object, or a lambda
    /// that captured only <c>this</c>); otherwise the object a closure's lambda loads from the closure
    /// field <paramref name="holder"/> (its captured <c>this</c>, or a captured local of the app's type).
    /// </summary>
    public static ThisReach Of(Type thisType, MethodInfo entry, FieldInfo? holder) =>
        s_cache.GetOrAdd((thisType, entry, holder), static key =>
        {
            var reach = new ThisReach(key.Item1, key.Item3);
            reach.Run(key.Item2, entryOnThis: key.Item3 is null);
            return reach;
        });

    /// <summary>Whether <paramref name="field"/> is reached; when it is, <paramref name="path"/> names the methods that reach it.</summary>
    public bool Reaches(FieldInfo field, out string path) => _fields.TryGetValue((field.Module, field.MetadataToken), out path!);

    /// <summary>A method as a user would name it: "the lambda in Svc.Run", "Svc.Helper".</summary>
    public static string Describe(MethodBase method)
    {
        var type = method.DeclaringType;
        if (method.Name == "MoveNext" && type is { Name: ['<', ..] } && type.DeclaringType is { } owner)
        {
            return $"{FieldNames.Friendly(owner)}.{Between(type.Name)}";
        }

        while (type is not null && FieldLayout.IsCompilerGenerated(type) && type.DeclaringType is { } outer)
        {
            type = outer;
        }

        string typeName = type is null ? "" : FieldNames.Friendly(type) + ".";
        return method.Name switch
        {
            ['<', ..] when method.Name.Contains(">b__", StringComparison.Ordinal) => $"the lambda in {typeName}{Between(method.Name)}",
            ['<', ..] when method.Name.Contains(">g__", StringComparison.Ordinal) => $"local function {LocalName(method.Name)} in {typeName}{Between(method.Name)}",
            _ => typeName + method.Name,
        };

        static string Between(string name) => name[1..Math.Max(1, name.IndexOf('>', StringComparison.Ordinal))];

        static string LocalName(string name)
        {
            int start = name.IndexOf(">g__", StringComparison.Ordinal) + 4;
            int end = name.IndexOf('|', start);
            return end > start ? name[start..end] : name[start..];
        }
    }

    private void Run(MethodInfo entry, bool entryOnThis)
    {
        _pending.Enqueue((entry, entryOnThis, Describe(entry)));
        try
        {
            while (Undecided is null && _pending.TryDequeue(out var next))
            {
                if (_visited.Add((next.Method, next.ReceiverIsThis)))
                {
                    Scan(next.Method, next.ReceiverIsThis, next.Path);
                }
            }
        }
        catch (Exception e)
        {
            // Whatever the IL holds, the answer is never wrong: undecided ships every field.
            Undecided = $"its IL could not be followed ({e.GetType().Name}: {e.Message})";
        }
    }

    private void GiveUp(string why, MethodBase where) => Undecided ??= $"{why} in {Describe(where)}";
}
