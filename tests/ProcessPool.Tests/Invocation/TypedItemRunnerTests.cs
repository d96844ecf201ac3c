using ProcessPool.Invocation;

namespace ProcessPool.Tests.Invocation;

/// <summary>Which mapped functions the worker runs through its typed fast path (formerly in MapShapeTests).</summary>
public sealed class TypedItemRunnerTests
{
    [Fact]
    public void A_synchronous_function_taking_a_token_takes_the_worker_fast_path()
    {
        static TypedItemRunner? RunnerFor(string name, params Type[] parameters) =>
            TypedItemRunner.TryCreate(typeof(Maths).GetMethod(name)!, parameters, typeof(int));

        Assert.NotNull(RunnerFor(nameof(Maths.Square), typeof(int)));
        Assert.NotNull(RunnerFor(nameof(Maths.SquareWithToken), typeof(int), typeof(CancellationToken)));
        Assert.Null(RunnerFor(nameof(Maths.Add), typeof(int), typeof(int)));
    }
}
