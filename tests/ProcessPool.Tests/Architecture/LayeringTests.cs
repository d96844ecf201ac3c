using ArchUnitNET.Domain;
using ArchUnitNET.Fluent;
using ArchUnitNET.Fluent.Slices;
using ArchUnitNET.Loader;
using ArchUnitNET.xUnit;
using static ArchUnitNET.Fluent.ArchRuleDefinition;

namespace ProcessPool.Tests.Architecture;

/// <summary>
/// The allowed dependencies between the library's rooms (its folders, one namespace each), checked on
/// the compiled library; docs/design.md draws the same picture. From the bottom up:
/// <list type="bullet">
/// <item>Protocol: the messages and their framing. Sees no other room.</item>
/// <item>Serialization: payloads. Sees Protocol.</item>
/// <item>Invocation: functions, their arguments and how a worker calls them. Sees Serialization, Protocol.</item>
/// <item>WorkerHost: the worker process. Sees Invocation, Serialization, Protocol; never the parent's rooms.</item>
/// <item>Workers: starting processes and their channels. Sees WorkerHost (to start it), Invocation, Serialization, Protocol; never Scheduling.</item>
/// <item>Scheduling: which call runs where and how it ends. Sees Workers, Invocation, Serialization, Protocol; never WorkerHost.</item>
/// </list>
/// The root namespace holds the public vocabulary (options, exceptions, <see cref="IExecutor"/>, work
/// items) that every room may use, and the composition root: <see cref="ProcessPoolExecutor"/> with the
/// call shapes (<see cref="ExecutorExtensions"/>) and their internal helpers, which no room sees.
/// </summary>
public sealed class LayeringTests
{
    private static readonly ArchUnitNET.Domain.Architecture Library = new ArchLoader().LoadAssemblies(typeof(ProcessPoolExecutor).Assembly).Build();

    private static readonly string[] Rooms = ["Protocol", "Serialization", "Invocation", "WorkerHost", "Workers", "Scheduling"];

    public static TheoryData<string, string[]> Allowed => new()
    {
        { "Protocol", [] },
        { "Serialization", ["Protocol"] },
        { "Invocation", ["Serialization", "Protocol"] },
        { "WorkerHost", ["Invocation", "Serialization", "Protocol"] },
        { "Workers", ["WorkerHost", "Invocation", "Serialization", "Protocol"] },
        { "Scheduling", ["Workers", "Invocation", "Serialization", "Protocol"] },
    };

    [Theory]
    [MemberData(nameof(Allowed))]
    public void Each_room_sees_only_the_rooms_below_it(string room, string[] allowed)
    {
        foreach (string other in Rooms.Except(allowed).Where(r => r != room))
        {
            Types().That().Are(Room(room)).Should().NotDependOnAny(Room(other)).Because($"{room} may see only {(allowed.Length == 0 ? "no other room" : string.Join(", ", allowed))}").Check(Library);
        }
    }

    [Fact]
    public void No_room_sees_the_composition_root()
    {
        Types().That().ResideInNamespaceMatching(@"ProcessPool\..+").Should().NotDependOnAny(typeof(ProcessPoolExecutor))
            .Because("the executor puts the rooms together; a room that needs it has a cycle").Check(Library);
    }

    [Fact]
    public void The_public_vocabulary_sees_no_room()
    {
        var vocabulary = Types().That().ResideInNamespace("ProcessPool").And().ArePublic().And().AreNot(typeof(ProcessPoolExecutor), typeof(ExecutorExtensions)).As("the root's vocabulary");
        foreach (string room in Rooms)
        {
            Types().That().Are(vocabulary).Should().NotDependOnAny(Room(room)).Check(Library);
        }
    }

    [Fact]
    public void The_rooms_have_no_cycles()
    {
        SliceRuleDefinition.Slices().Matching("ProcessPool.(*)").Should().BeFreeOfCycles().Check(Library);
    }

    private static ArchUnitNET.Fluent.Syntax.Elements.Types.GivenTypesConjunctionWithDescription Room(string name) => Types().That().ResideInNamespace($"ProcessPool.{name}").As(name);
}
