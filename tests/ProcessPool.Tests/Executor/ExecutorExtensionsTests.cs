using ProcessPool.Tests.Support;

namespace ProcessPool.Tests.Executor;

/// <summary>
/// IExecutor is small and backend-neutral: a fake written here, implementing only its core members with
/// the public API, gets every SubmitAsync and Map shape of ExecutorExtensions, and each call binds the
/// shape (delegate type) it bound when these were instance methods of the pool.
/// </summary>
public sealed class ExecutorExtensionsTests
{
    private static readonly List<int> Items = [1, 2, 3];
    private static readonly int[] Doubled = [2, 4, 6];

    [Fact]
    public async Task Every_submit_shape_reaches_a_backend_that_implements_only_the_core()
    {
        await using var executor = new InProcessExecutor();
        var options = new TaskOptions { Timeout = TimeSpan.FromMinutes(1) };
        int total = 0;
        await Returned<Func<int>>(executor, executor.SubmitAsync(() => 100), 100);
        await Returned<Func<int, int>>(executor, executor.SubmitAsync((int a1) => 100 + a1, 1), 101);
        await Returned<Func<int, int, int>>(executor, executor.SubmitAsync((int a1, int a2) => 100 + a1 + a2, 1, 2), 103);
        await Returned<Func<int, int, int, int>>(executor, executor.SubmitAsync((int a1, int a2, int a3) => 100 + a1 + a2 + a3, 1, 2, 3), 106);
        await Returned<Func<Task<int>>>(executor, executor.SubmitAsync(async () => { await Task.Yield(); return 100; }), 100);
        await Returned<Func<int, Task<int>>>(executor, executor.SubmitAsync(async (int a1) => { await Task.Yield(); return 100 + a1; }, 1), 101);
        await Returned<Func<int, int, Task<int>>>(executor, executor.SubmitAsync(async (int a1, int a2) => { await Task.Yield(); return 100 + a1 + a2; }, 1, 2), 103);
        await Returned<Func<int, int, int, Task<int>>>(executor, executor.SubmitAsync(async (int a1, int a2, int a3) => { await Task.Yield(); return 100 + a1 + a2 + a3; }, 1, 2, 3), 106);
        await Returned<Func<CancellationToken, Task<int>>>(executor, executor.SubmitAsync(async (CancellationToken ct) => { await Task.Delay(1, ct); return 100; }), 100);
        await Returned<Func<int, CancellationToken, Task<int>>>(executor, executor.SubmitAsync(async (int a1, CancellationToken ct) => { await Task.Delay(1, ct); return 100 + a1; }, 1), 101);
        await Returned<Func<int, int, CancellationToken, Task<int>>>(executor, executor.SubmitAsync(async (int a1, int a2, CancellationToken ct) => { await Task.Delay(1, ct); return 100 + a1 + a2; }, 1, 2), 103);
        await Returned<Func<int, int, int, CancellationToken, Task<int>>>(executor, executor.SubmitAsync(async (int a1, int a2, int a3, CancellationToken ct) => { await Task.Delay(1, ct); return 100 + a1 + a2 + a3; }, 1, 2, 3), 106);
        await Returned<Func<ValueTask<int>>>(executor, executor.SubmitAsync(async ValueTask<int> () => { await Task.Yield(); return 100; }), 100);
        await Returned<Func<int, ValueTask<int>>>(executor, executor.SubmitAsync(async ValueTask<int> (int a1) => { await Task.Yield(); return 100 + a1; }, 1), 101);
        await Returned<Func<int, int, ValueTask<int>>>(executor, executor.SubmitAsync(async ValueTask<int> (int a1, int a2) => { await Task.Yield(); return 100 + a1 + a2; }, 1, 2), 103);
        await Returned<Func<int, int, int, ValueTask<int>>>(executor, executor.SubmitAsync(async ValueTask<int> (int a1, int a2, int a3) => { await Task.Yield(); return 100 + a1 + a2 + a3; }, 1, 2, 3), 106);
        await Returned<Func<CancellationToken, ValueTask<int>>>(executor, executor.SubmitAsync(async ValueTask<int> (CancellationToken ct) => { await Task.Delay(1, ct); return 100; }), 100);
        await Returned<Func<int, CancellationToken, ValueTask<int>>>(executor, executor.SubmitAsync(async ValueTask<int> (int a1, CancellationToken ct) => { await Task.Delay(1, ct); return 100 + a1; }, 1), 101);
        await Returned<Func<int, int, CancellationToken, ValueTask<int>>>(executor, executor.SubmitAsync(async ValueTask<int> (int a1, int a2, CancellationToken ct) => { await Task.Delay(1, ct); return 100 + a1 + a2; }, 1, 2), 103);
        await Returned<Func<int, int, int, CancellationToken, ValueTask<int>>>(executor, executor.SubmitAsync(async ValueTask<int> (int a1, int a2, int a3, CancellationToken ct) => { await Task.Delay(1, ct); return 100 + a1 + a2 + a3; }, 1, 2, 3), 106);
        await Ran<Action>(executor, () => executor.SubmitAsync(() => { total += 100; }), () => total, 100);
        await Ran<Action<int>>(executor, () => executor.SubmitAsync((int a1) => { total += 100 + a1; }, 1), () => total, 101);
        await Ran<Action<int, int>>(executor, () => executor.SubmitAsync((int a1, int a2) => { total += 100 + a1 + a2; }, 1, 2), () => total, 103);
        await Ran<Action<int, int, int>>(executor, () => executor.SubmitAsync((int a1, int a2, int a3) => { total += 100 + a1 + a2 + a3; }, 1, 2, 3), () => total, 106);
        await Ran<Func<Task>>(executor, () => executor.SubmitAsync(async () => { await Task.Yield(); total += 100; }), () => total, 100);
        await Ran<Func<int, Task>>(executor, () => executor.SubmitAsync(async (int a1) => { await Task.Yield(); total += 100 + a1; }, 1), () => total, 101);
        await Ran<Func<int, int, Task>>(executor, () => executor.SubmitAsync(async (int a1, int a2) => { await Task.Yield(); total += 100 + a1 + a2; }, 1, 2), () => total, 103);
        await Ran<Func<int, int, int, Task>>(executor, () => executor.SubmitAsync(async (int a1, int a2, int a3) => { await Task.Yield(); total += 100 + a1 + a2 + a3; }, 1, 2, 3), () => total, 106);
        await Ran<Func<CancellationToken, Task>>(executor, () => executor.SubmitAsync(async (CancellationToken ct) => { await Task.Delay(1, ct); total += 100; }), () => total, 100);
        await Ran<Func<int, CancellationToken, Task>>(executor, () => executor.SubmitAsync(async (int a1, CancellationToken ct) => { await Task.Delay(1, ct); total += 100 + a1; }, 1), () => total, 101);
        await Ran<Func<int, int, CancellationToken, Task>>(executor, () => executor.SubmitAsync(async (int a1, int a2, CancellationToken ct) => { await Task.Delay(1, ct); total += 100 + a1 + a2; }, 1, 2), () => total, 103);
        await Ran<Func<int, int, int, CancellationToken, Task>>(executor, () => executor.SubmitAsync(async (int a1, int a2, int a3, CancellationToken ct) => { await Task.Delay(1, ct); total += 100 + a1 + a2 + a3; }, 1, 2, 3), () => total, 106);
        await Ran<Func<ValueTask>>(executor, () => executor.SubmitAsync(async ValueTask () => { await Task.Yield(); total += 100; }), () => total, 100);
        await Ran<Func<int, ValueTask>>(executor, () => executor.SubmitAsync(async ValueTask (int a1) => { await Task.Yield(); total += 100 + a1; }, 1), () => total, 101);
        await Ran<Func<int, int, ValueTask>>(executor, () => executor.SubmitAsync(async ValueTask (int a1, int a2) => { await Task.Yield(); total += 100 + a1 + a2; }, 1, 2), () => total, 103);
        await Ran<Func<int, int, int, ValueTask>>(executor, () => executor.SubmitAsync(async ValueTask (int a1, int a2, int a3) => { await Task.Yield(); total += 100 + a1 + a2 + a3; }, 1, 2, 3), () => total, 106);
        await Ran<Func<CancellationToken, ValueTask>>(executor, () => executor.SubmitAsync(async ValueTask (CancellationToken ct) => { await Task.Delay(1, ct); total += 100; }), () => total, 100);
        await Ran<Func<int, CancellationToken, ValueTask>>(executor, () => executor.SubmitAsync(async ValueTask (int a1, CancellationToken ct) => { await Task.Delay(1, ct); total += 100 + a1; }, 1), () => total, 101);
        await Ran<Func<int, int, CancellationToken, ValueTask>>(executor, () => executor.SubmitAsync(async ValueTask (int a1, int a2, CancellationToken ct) => { await Task.Delay(1, ct); total += 100 + a1 + a2; }, 1, 2), () => total, 103);
        await Ran<Func<int, int, int, CancellationToken, ValueTask>>(executor, () => executor.SubmitAsync(async ValueTask (int a1, int a2, int a3, CancellationToken ct) => { await Task.Delay(1, ct); total += 100 + a1 + a2 + a3; }, 1, 2, 3), () => total, 106);
        await Returned<Func<int>>(executor, executor.SubmitAsync(() => 100, options), 100);
        await Returned<Func<int, int>>(executor, executor.SubmitAsync((int a1) => 100 + a1, 1, options), 101);
        await Returned<Func<int, int, int>>(executor, executor.SubmitAsync((int a1, int a2) => 100 + a1 + a2, 1, 2, options), 103);
        await Returned<Func<int, int, int, int>>(executor, executor.SubmitAsync((int a1, int a2, int a3) => 100 + a1 + a2 + a3, 1, 2, 3, options), 106);
        await Returned<Func<Task<int>>>(executor, executor.SubmitAsync(async () => { await Task.Yield(); return 100; }, options), 100);
        await Returned<Func<int, Task<int>>>(executor, executor.SubmitAsync(async (int a1) => { await Task.Yield(); return 100 + a1; }, 1, options), 101);
        await Returned<Func<int, int, Task<int>>>(executor, executor.SubmitAsync(async (int a1, int a2) => { await Task.Yield(); return 100 + a1 + a2; }, 1, 2, options), 103);
        await Returned<Func<int, int, int, Task<int>>>(executor, executor.SubmitAsync(async (int a1, int a2, int a3) => { await Task.Yield(); return 100 + a1 + a2 + a3; }, 1, 2, 3, options), 106);
        await Returned<Func<CancellationToken, Task<int>>>(executor, executor.SubmitAsync(async (CancellationToken ct) => { await Task.Delay(1, ct); return 100; }, options), 100);
        await Returned<Func<int, CancellationToken, Task<int>>>(executor, executor.SubmitAsync(async (int a1, CancellationToken ct) => { await Task.Delay(1, ct); return 100 + a1; }, 1, options), 101);
        await Returned<Func<int, int, CancellationToken, Task<int>>>(executor, executor.SubmitAsync(async (int a1, int a2, CancellationToken ct) => { await Task.Delay(1, ct); return 100 + a1 + a2; }, 1, 2, options), 103);
        await Returned<Func<int, int, int, CancellationToken, Task<int>>>(executor, executor.SubmitAsync(async (int a1, int a2, int a3, CancellationToken ct) => { await Task.Delay(1, ct); return 100 + a1 + a2 + a3; }, 1, 2, 3, options), 106);
        await Returned<Func<ValueTask<int>>>(executor, executor.SubmitAsync(async ValueTask<int> () => { await Task.Yield(); return 100; }, options), 100);
        await Returned<Func<int, ValueTask<int>>>(executor, executor.SubmitAsync(async ValueTask<int> (int a1) => { await Task.Yield(); return 100 + a1; }, 1, options), 101);
        await Returned<Func<int, int, ValueTask<int>>>(executor, executor.SubmitAsync(async ValueTask<int> (int a1, int a2) => { await Task.Yield(); return 100 + a1 + a2; }, 1, 2, options), 103);
        await Returned<Func<int, int, int, ValueTask<int>>>(executor, executor.SubmitAsync(async ValueTask<int> (int a1, int a2, int a3) => { await Task.Yield(); return 100 + a1 + a2 + a3; }, 1, 2, 3, options), 106);
        await Returned<Func<CancellationToken, ValueTask<int>>>(executor, executor.SubmitAsync(async ValueTask<int> (CancellationToken ct) => { await Task.Delay(1, ct); return 100; }, options), 100);
        await Returned<Func<int, CancellationToken, ValueTask<int>>>(executor, executor.SubmitAsync(async ValueTask<int> (int a1, CancellationToken ct) => { await Task.Delay(1, ct); return 100 + a1; }, 1, options), 101);
        await Returned<Func<int, int, CancellationToken, ValueTask<int>>>(executor, executor.SubmitAsync(async ValueTask<int> (int a1, int a2, CancellationToken ct) => { await Task.Delay(1, ct); return 100 + a1 + a2; }, 1, 2, options), 103);
        await Returned<Func<int, int, int, CancellationToken, ValueTask<int>>>(executor, executor.SubmitAsync(async ValueTask<int> (int a1, int a2, int a3, CancellationToken ct) => { await Task.Delay(1, ct); return 100 + a1 + a2 + a3; }, 1, 2, 3, options), 106);
        await Ran<Action>(executor, () => executor.SubmitAsync(() => { total += 100; }, options), () => total, 100);
        await Ran<Action<int>>(executor, () => executor.SubmitAsync((int a1) => { total += 100 + a1; }, 1, options), () => total, 101);
        await Ran<Action<int, int>>(executor, () => executor.SubmitAsync((int a1, int a2) => { total += 100 + a1 + a2; }, 1, 2, options), () => total, 103);
        await Ran<Action<int, int, int>>(executor, () => executor.SubmitAsync((int a1, int a2, int a3) => { total += 100 + a1 + a2 + a3; }, 1, 2, 3, options), () => total, 106);
        await Ran<Func<Task>>(executor, () => executor.SubmitAsync(async () => { await Task.Yield(); total += 100; }, options), () => total, 100);
        await Ran<Func<int, Task>>(executor, () => executor.SubmitAsync(async (int a1) => { await Task.Yield(); total += 100 + a1; }, 1, options), () => total, 101);
        await Ran<Func<int, int, Task>>(executor, () => executor.SubmitAsync(async (int a1, int a2) => { await Task.Yield(); total += 100 + a1 + a2; }, 1, 2, options), () => total, 103);
        await Ran<Func<int, int, int, Task>>(executor, () => executor.SubmitAsync(async (int a1, int a2, int a3) => { await Task.Yield(); total += 100 + a1 + a2 + a3; }, 1, 2, 3, options), () => total, 106);
        await Ran<Func<CancellationToken, Task>>(executor, () => executor.SubmitAsync(async (CancellationToken ct) => { await Task.Delay(1, ct); total += 100; }, options), () => total, 100);
        await Ran<Func<int, CancellationToken, Task>>(executor, () => executor.SubmitAsync(async (int a1, CancellationToken ct) => { await Task.Delay(1, ct); total += 100 + a1; }, 1, options), () => total, 101);
        await Ran<Func<int, int, CancellationToken, Task>>(executor, () => executor.SubmitAsync(async (int a1, int a2, CancellationToken ct) => { await Task.Delay(1, ct); total += 100 + a1 + a2; }, 1, 2, options), () => total, 103);
        await Ran<Func<int, int, int, CancellationToken, Task>>(executor, () => executor.SubmitAsync(async (int a1, int a2, int a3, CancellationToken ct) => { await Task.Delay(1, ct); total += 100 + a1 + a2 + a3; }, 1, 2, 3, options), () => total, 106);
        await Ran<Func<ValueTask>>(executor, () => executor.SubmitAsync(async ValueTask () => { await Task.Yield(); total += 100; }, options), () => total, 100);
        await Ran<Func<int, ValueTask>>(executor, () => executor.SubmitAsync(async ValueTask (int a1) => { await Task.Yield(); total += 100 + a1; }, 1, options), () => total, 101);
        await Ran<Func<int, int, ValueTask>>(executor, () => executor.SubmitAsync(async ValueTask (int a1, int a2) => { await Task.Yield(); total += 100 + a1 + a2; }, 1, 2, options), () => total, 103);
        await Ran<Func<int, int, int, ValueTask>>(executor, () => executor.SubmitAsync(async ValueTask (int a1, int a2, int a3) => { await Task.Yield(); total += 100 + a1 + a2 + a3; }, 1, 2, 3, options), () => total, 106);
        await Ran<Func<CancellationToken, ValueTask>>(executor, () => executor.SubmitAsync(async ValueTask (CancellationToken ct) => { await Task.Delay(1, ct); total += 100; }, options), () => total, 100);
        await Ran<Func<int, CancellationToken, ValueTask>>(executor, () => executor.SubmitAsync(async ValueTask (int a1, CancellationToken ct) => { await Task.Delay(1, ct); total += 100 + a1; }, 1, options), () => total, 101);
        await Ran<Func<int, int, CancellationToken, ValueTask>>(executor, () => executor.SubmitAsync(async ValueTask (int a1, int a2, CancellationToken ct) => { await Task.Delay(1, ct); total += 100 + a1 + a2; }, 1, 2, options), () => total, 103);
        await Ran<Func<int, int, int, CancellationToken, ValueTask>>(executor, () => executor.SubmitAsync(async ValueTask (int a1, int a2, int a3, CancellationToken ct) => { await Task.Delay(1, ct); total += 100 + a1 + a2 + a3; }, 1, 2, 3, options), () => total, 106);

        Assert.Equal(80, executor.Bound.Count);
        Assert.Equal(40, executor.Bound.Distinct().Count());
        Assert.Equal(40, executor.Options.Count(o => o == options));
    }

    [Fact]
    public async Task Every_map_shape_reaches_a_backend_that_implements_only_the_core()
    {
        await using var executor = new InProcessExecutor();
        await Mapped<Func<int, int>>(executor, executor.MapAsync(x => x * 2, Items), Doubled);
        await Mapped<Func<int, int, int>>(executor, executor.MapAsync((x, y) => x + y, Items, Items), Doubled);
        await Mapped<Func<int, int>>(executor, executor.MapAsync(x => x * 2, AsyncItems()), Doubled);
        await Mapped<Func<int, int, int>>(executor, executor.MapAsync((x, y) => x + y, AsyncItems(), AsyncItems()), Doubled);
        await Mapped<Func<int, CancellationToken, int>>(executor, executor.MapAsync((int x, CancellationToken ct) => x * 2, Items), Doubled);
        await Mapped<Func<int, int, CancellationToken, int>>(executor, executor.MapAsync((int x, int y, CancellationToken ct) => x + y, Items, Items), Doubled);
        await Mapped<Func<int, CancellationToken, int>>(executor, executor.MapAsync((int x, CancellationToken ct) => x * 2, AsyncItems()), Doubled);
        await Mapped<Func<int, int, CancellationToken, int>>(executor, executor.MapAsync((int x, int y, CancellationToken ct) => x + y, AsyncItems(), AsyncItems()), Doubled);
        await Mapped<Func<int, Task<int>>>(executor, executor.MapAsync(async x => { await Task.Yield(); return x * 2; }, Items), Doubled);
        await Mapped<Func<int, int, Task<int>>>(executor, executor.MapAsync(async (x, y) => { await Task.Yield(); return x + y; }, Items, Items), Doubled);
        await Mapped<Func<int, Task<int>>>(executor, executor.MapAsync(async x => { await Task.Yield(); return x * 2; }, AsyncItems()), Doubled);
        await Mapped<Func<int, int, Task<int>>>(executor, executor.MapAsync(async (x, y) => { await Task.Yield(); return x + y; }, AsyncItems(), AsyncItems()), Doubled);
        await Mapped<Func<int, CancellationToken, Task<int>>>(executor, executor.MapAsync(async (int x, CancellationToken ct) => { await Task.Delay(1, ct); return x * 2; }, Items), Doubled);
        await Mapped<Func<int, int, CancellationToken, Task<int>>>(executor, executor.MapAsync(async (int x, int y, CancellationToken ct) => { await Task.Delay(1, ct); return x + y; }, Items, Items), Doubled);
        await Mapped<Func<int, CancellationToken, Task<int>>>(executor, executor.MapAsync(async (int x, CancellationToken ct) => { await Task.Delay(1, ct); return x * 2; }, AsyncItems()), Doubled);
        await Mapped<Func<int, int, CancellationToken, Task<int>>>(executor, executor.MapAsync(async (int x, int y, CancellationToken ct) => { await Task.Delay(1, ct); return x + y; }, AsyncItems(), AsyncItems()), Doubled);
        await Mapped<Func<int, ValueTask<int>>>(executor, executor.MapAsync(async ValueTask<int> (int x) => { await Task.Yield(); return x * 2; }, Items), Doubled);
        await Mapped<Func<int, int, ValueTask<int>>>(executor, executor.MapAsync(async ValueTask<int> (int x, int y) => { await Task.Yield(); return x + y; }, Items, Items), Doubled);
        await Mapped<Func<int, ValueTask<int>>>(executor, executor.MapAsync(async ValueTask<int> (int x) => { await Task.Yield(); return x * 2; }, AsyncItems()), Doubled);
        await Mapped<Func<int, int, ValueTask<int>>>(executor, executor.MapAsync(async ValueTask<int> (int x, int y) => { await Task.Yield(); return x + y; }, AsyncItems(), AsyncItems()), Doubled);
        await Mapped<Func<int, CancellationToken, ValueTask<int>>>(executor, executor.MapAsync(async ValueTask<int> (int x, CancellationToken ct) => { await Task.Delay(1, ct); return x * 2; }, Items), Doubled);
        await Mapped<Func<int, int, CancellationToken, ValueTask<int>>>(executor, executor.MapAsync(async ValueTask<int> (int x, int y, CancellationToken ct) => { await Task.Delay(1, ct); return x + y; }, Items, Items), Doubled);
        await Mapped<Func<int, CancellationToken, ValueTask<int>>>(executor, executor.MapAsync(async ValueTask<int> (int x, CancellationToken ct) => { await Task.Delay(1, ct); return x * 2; }, AsyncItems()), Doubled);
        await Mapped<Func<int, int, CancellationToken, ValueTask<int>>>(executor, executor.MapAsync(async ValueTask<int> (int x, int y, CancellationToken ct) => { await Task.Delay(1, ct); return x + y; }, AsyncItems(), AsyncItems()), Doubled);
        await Mapped<Func<int, int>>(executor, executor.MapUnorderedAsync(x => x * 2, Items), Doubled);
        await Mapped<Func<int, int, int>>(executor, executor.MapUnorderedAsync((x, y) => x + y, Items, Items), Doubled);
        await Mapped<Func<int, int>>(executor, executor.MapUnorderedAsync(x => x * 2, AsyncItems()), Doubled);
        await Mapped<Func<int, int, int>>(executor, executor.MapUnorderedAsync((x, y) => x + y, AsyncItems(), AsyncItems()), Doubled);
        await Mapped<Func<int, CancellationToken, int>>(executor, executor.MapUnorderedAsync((int x, CancellationToken ct) => x * 2, Items), Doubled);
        await Mapped<Func<int, int, CancellationToken, int>>(executor, executor.MapUnorderedAsync((int x, int y, CancellationToken ct) => x + y, Items, Items), Doubled);
        await Mapped<Func<int, CancellationToken, int>>(executor, executor.MapUnorderedAsync((int x, CancellationToken ct) => x * 2, AsyncItems()), Doubled);
        await Mapped<Func<int, int, CancellationToken, int>>(executor, executor.MapUnorderedAsync((int x, int y, CancellationToken ct) => x + y, AsyncItems(), AsyncItems()), Doubled);
        await Mapped<Func<int, Task<int>>>(executor, executor.MapUnorderedAsync(async x => { await Task.Yield(); return x * 2; }, Items), Doubled);
        await Mapped<Func<int, int, Task<int>>>(executor, executor.MapUnorderedAsync(async (x, y) => { await Task.Yield(); return x + y; }, Items, Items), Doubled);
        await Mapped<Func<int, Task<int>>>(executor, executor.MapUnorderedAsync(async x => { await Task.Yield(); return x * 2; }, AsyncItems()), Doubled);
        await Mapped<Func<int, int, Task<int>>>(executor, executor.MapUnorderedAsync(async (x, y) => { await Task.Yield(); return x + y; }, AsyncItems(), AsyncItems()), Doubled);
        await Mapped<Func<int, CancellationToken, Task<int>>>(executor, executor.MapUnorderedAsync(async (int x, CancellationToken ct) => { await Task.Delay(1, ct); return x * 2; }, Items), Doubled);
        await Mapped<Func<int, int, CancellationToken, Task<int>>>(executor, executor.MapUnorderedAsync(async (int x, int y, CancellationToken ct) => { await Task.Delay(1, ct); return x + y; }, Items, Items), Doubled);
        await Mapped<Func<int, CancellationToken, Task<int>>>(executor, executor.MapUnorderedAsync(async (int x, CancellationToken ct) => { await Task.Delay(1, ct); return x * 2; }, AsyncItems()), Doubled);
        await Mapped<Func<int, int, CancellationToken, Task<int>>>(executor, executor.MapUnorderedAsync(async (int x, int y, CancellationToken ct) => { await Task.Delay(1, ct); return x + y; }, AsyncItems(), AsyncItems()), Doubled);
        await Mapped<Func<int, ValueTask<int>>>(executor, executor.MapUnorderedAsync(async ValueTask<int> (int x) => { await Task.Yield(); return x * 2; }, Items), Doubled);
        await Mapped<Func<int, int, ValueTask<int>>>(executor, executor.MapUnorderedAsync(async ValueTask<int> (int x, int y) => { await Task.Yield(); return x + y; }, Items, Items), Doubled);
        await Mapped<Func<int, ValueTask<int>>>(executor, executor.MapUnorderedAsync(async ValueTask<int> (int x) => { await Task.Yield(); return x * 2; }, AsyncItems()), Doubled);
        await Mapped<Func<int, int, ValueTask<int>>>(executor, executor.MapUnorderedAsync(async ValueTask<int> (int x, int y) => { await Task.Yield(); return x + y; }, AsyncItems(), AsyncItems()), Doubled);
        await Mapped<Func<int, CancellationToken, ValueTask<int>>>(executor, executor.MapUnorderedAsync(async ValueTask<int> (int x, CancellationToken ct) => { await Task.Delay(1, ct); return x * 2; }, Items), Doubled);
        await Mapped<Func<int, int, CancellationToken, ValueTask<int>>>(executor, executor.MapUnorderedAsync(async ValueTask<int> (int x, int y, CancellationToken ct) => { await Task.Delay(1, ct); return x + y; }, Items, Items), Doubled);
        await Mapped<Func<int, CancellationToken, ValueTask<int>>>(executor, executor.MapUnorderedAsync(async ValueTask<int> (int x, CancellationToken ct) => { await Task.Delay(1, ct); return x * 2; }, AsyncItems()), Doubled);
        await Mapped<Func<int, int, CancellationToken, ValueTask<int>>>(executor, executor.MapUnorderedAsync(async ValueTask<int> (int x, int y, CancellationToken ct) => { await Task.Delay(1, ct); return x + y; }, AsyncItems(), AsyncItems()), Doubled);
        await Mapped<Func<int, int>>(executor, Blocking(executor.Map(x => x * 2, Items)), Doubled);
        await Mapped<Func<int, int, int>>(executor, Blocking(executor.Map((x, y) => x + y, Items, Items)), Doubled);
        await Mapped<Func<int, CancellationToken, int>>(executor, Blocking(executor.Map((int x, CancellationToken ct) => x * 2, Items)), Doubled);
        await Mapped<Func<int, int, CancellationToken, int>>(executor, Blocking(executor.Map((int x, int y, CancellationToken ct) => x + y, Items, Items)), Doubled);
        await Mapped<Func<int, Task<int>>>(executor, Blocking(executor.Map(async x => { await Task.Yield(); return x * 2; }, Items)), Doubled);
        await Mapped<Func<int, int, Task<int>>>(executor, Blocking(executor.Map(async (x, y) => { await Task.Yield(); return x + y; }, Items, Items)), Doubled);
        await Mapped<Func<int, CancellationToken, Task<int>>>(executor, Blocking(executor.Map(async (int x, CancellationToken ct) => { await Task.Delay(1, ct); return x * 2; }, Items)), Doubled);
        await Mapped<Func<int, int, CancellationToken, Task<int>>>(executor, Blocking(executor.Map(async (int x, int y, CancellationToken ct) => { await Task.Delay(1, ct); return x + y; }, Items, Items)), Doubled);
        await Mapped<Func<int, ValueTask<int>>>(executor, Blocking(executor.Map(async ValueTask<int> (int x) => { await Task.Yield(); return x * 2; }, Items)), Doubled);
        await Mapped<Func<int, int, ValueTask<int>>>(executor, Blocking(executor.Map(async ValueTask<int> (int x, int y) => { await Task.Yield(); return x + y; }, Items, Items)), Doubled);
        await Mapped<Func<int, CancellationToken, ValueTask<int>>>(executor, Blocking(executor.Map(async ValueTask<int> (int x, CancellationToken ct) => { await Task.Delay(1, ct); return x * 2; }, Items)), Doubled);
        await Mapped<Func<int, int, CancellationToken, ValueTask<int>>>(executor, Blocking(executor.Map(async ValueTask<int> (int x, int y, CancellationToken ct) => { await Task.Delay(1, ct); return x + y; }, Items, Items)), Doubled);
        await Mapped<Func<int, int>>(executor, Blocking(executor.MapUnordered(x => x * 2, Items)), Doubled);
        await Mapped<Func<int, int, int>>(executor, Blocking(executor.MapUnordered((x, y) => x + y, Items, Items)), Doubled);
        await Mapped<Func<int, CancellationToken, int>>(executor, Blocking(executor.MapUnordered((int x, CancellationToken ct) => x * 2, Items)), Doubled);
        await Mapped<Func<int, int, CancellationToken, int>>(executor, Blocking(executor.MapUnordered((int x, int y, CancellationToken ct) => x + y, Items, Items)), Doubled);
        await Mapped<Func<int, Task<int>>>(executor, Blocking(executor.MapUnordered(async x => { await Task.Yield(); return x * 2; }, Items)), Doubled);
        await Mapped<Func<int, int, Task<int>>>(executor, Blocking(executor.MapUnordered(async (x, y) => { await Task.Yield(); return x + y; }, Items, Items)), Doubled);
        await Mapped<Func<int, CancellationToken, Task<int>>>(executor, Blocking(executor.MapUnordered(async (int x, CancellationToken ct) => { await Task.Delay(1, ct); return x * 2; }, Items)), Doubled);
        await Mapped<Func<int, int, CancellationToken, Task<int>>>(executor, Blocking(executor.MapUnordered(async (int x, int y, CancellationToken ct) => { await Task.Delay(1, ct); return x + y; }, Items, Items)), Doubled);
        await Mapped<Func<int, ValueTask<int>>>(executor, Blocking(executor.MapUnordered(async ValueTask<int> (int x) => { await Task.Yield(); return x * 2; }, Items)), Doubled);
        await Mapped<Func<int, int, ValueTask<int>>>(executor, Blocking(executor.MapUnordered(async ValueTask<int> (int x, int y) => { await Task.Yield(); return x + y; }, Items, Items)), Doubled);
        await Mapped<Func<int, CancellationToken, ValueTask<int>>>(executor, Blocking(executor.MapUnordered(async ValueTask<int> (int x, CancellationToken ct) => { await Task.Delay(1, ct); return x * 2; }, Items)), Doubled);
        await Mapped<Func<int, int, CancellationToken, ValueTask<int>>>(executor, Blocking(executor.MapUnordered(async ValueTask<int> (int x, int y, CancellationToken ct) => { await Task.Delay(1, ct); return x + y; }, Items, Items)), Doubled);

        Assert.Equal(72, executor.Maps.Count);
        Assert.Equal(36, executor.Maps.Count(m => m.Ordered));
    }

    [Fact]
    public async Task Method_groups_and_async_lambdas_bind_as_they_did_on_the_pool()
    {
        await using var executor = new InProcessExecutor();
        using var cts = new CancellationTokenSource();
        await Returned<Func<int, Task<int>>>(executor, executor.SubmitAsync(Maths.SquareAsync, 3), 9);
        await Returned<Func<int, ValueTask<int>>>(executor, executor.SubmitAsync(Transit.SquareValueTaskAsync, 3), 9);
        await Returned<Func<int, CancellationToken, Task<int>>>(executor, executor.SubmitAsync(Maths.SlowAsync, 5, cts.Token), 10);
        await Returned<Func<int, CancellationToken, ValueTask<int>>>(executor, executor.SubmitAsync(Transit.DelayValueTaskAsync, 1), 1);
        await Returned<Func<Task<int>>>(executor, executor.SubmitAsync(async () => 1), 1);
        await Returned<Func<Task<int>>>(executor, executor.SubmitAsync(() => Task.FromResult(1)), 1);
        await Returned<Func<ValueTask<int>>>(executor, executor.SubmitAsync(() => ValueTask.FromResult(1)), 1);
        await Returned<Func<int, int>>(executor, executor.SubmitAsync(Maths.Square, 4), 16);
        await Mapped<Func<int, Task<int>>>(executor, executor.MapAsync(async x => x * 2, Items), Doubled);
        await Mapped<Func<int, CancellationToken, Task<int>>>(executor, executor.MapUnorderedAsync(Maths.SlowAsync, Items), Doubled);
        await Mapped<Func<int, ValueTask<int>>>(executor, executor.MapAsync(Transit.SquareSynchronousValueTask, [1, 2, 3]), [1, 4, 9]);
        await Mapped<Func<int, int, Task<int>>>(executor, executor.MapAsync(Maths.AddAsync, Items, Doubled), [3, 6, 9]);
    }

    [Fact]
    public async Task A_token_passed_as_an_argument_becomes_the_call_token_and_shutdown_reaches_the_backend()
    {
        await using var executor = new InProcessExecutor();
        using var cts = new CancellationTokenSource();
        bool cancellable = await executor.SubmitAsync((CancellationToken token) => token == cts.Token, cts.Token);
        await executor.ShutdownAsync(TimeSpan.FromSeconds(1));

        Assert.True(cancellable);
        Assert.True(executor.IsShutdown);
        await Assert.ThrowsAsync<ObjectDisposedException>(() => executor.SubmitAsync(Maths.Zero));
    }

    private static async Task Returned<TDelegate>(InProcessExecutor executor, Task<int> call, int expected)
    {
        Assert.Equal(expected, await call);
        Assert.Equal(typeof(TDelegate), executor.Bound[^1]);
    }

    private static async Task Ran<TDelegate>(InProcessExecutor executor, Func<Task> call, Func<int> total, int expected)
    {
        int before = total();
        await call();
        Assert.Equal(expected, total() - before);
        Assert.Equal(typeof(TDelegate), executor.Bound[^1]);
    }

    private static async Task Mapped<TDelegate>(InProcessExecutor executor, IAsyncEnumerable<int> results, int[] expected)
    {
        Assert.Equal(expected, (await results.ToListAsync()).Order());
        Assert.Equal(typeof(TDelegate), executor.Bound[^1]);
    }

    private static IAsyncEnumerable<int> Blocking(IEnumerable<int> results) => results.ToAsyncEnumerable();

    private static async IAsyncEnumerable<int> AsyncItems()
    {
        foreach (int item in Items)
        {
            await Task.Yield();
            yield return item;
        }
    }
}
