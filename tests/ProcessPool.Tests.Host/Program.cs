// A parent program for tests that must watch a pool from outside: they start this, then kill it or read its output.
using System.Globalization;
using ProcessPool;
using ProcessPool.Tests.Functions;

switch (args)
{
    case ["orphan", var count]:
        {
            // Start the workers, report their pids, then wait to be killed.
            int workers = int.Parse(count, CultureInfo.InvariantCulture);
            var pool = new ProcessPoolExecutor(new ProcessPoolOptions { MaxWorkers = workers });
            var pids = new HashSet<int>();
            while (pids.Count < workers)
            {
                var batch = Enumerable.Range(0, workers * 4).Select(i => pool.SubmitAsync(Maths.ProcessIdOf, i));
                pids.UnionWith(await Task.WhenAll(batch));
            }

            Console.WriteLine("PIDS " + string.Join(',', pids));
            Console.Out.Flush();
            await Task.Delay(Timeout.Infinite);
            return 0;
        }

    case ["orphan-child"]:
        {
            // A task leaves a child running; report the worker's pid and the child's, then wait to be killed.
            var pool = new ProcessPoolExecutor(new ProcessPoolOptions { MaxWorkers = 1 });
            int worker = await pool.SubmitAsync(Maths.ProcessId);
            int child = await pool.SubmitAsync(Children.StartSleep, 300);
            Console.WriteLine($"PIDS {worker},{child}");
            Console.Out.Flush();
            await Task.Delay(Timeout.Infinite);
            return 0;
        }

    case ["orphan-map", var count]:
        {
            // Run a long map of busy items; once every worker has answered, report their pids, and go on mapping until killed.
            int workers = int.Parse(count, CultureInfo.InvariantCulture);
            var pool = new ProcessPoolExecutor(new ProcessPoolOptions { MaxWorkers = workers });
            bool reported = false;
            await foreach (long _ in pool.MapAsync(Runaway.BusyItem, Enumerable.Range(0, int.MaxValue).Select(i => (long)i)))
            {
                var busy = pool.Workers.Where(w => w.TasksCompleted > 0).ToList();
                if (!reported && busy.Count == workers)
                {
                    Console.WriteLine("PIDS " + string.Join(',', busy.Select(w => w.ProcessId)));
                    Console.Out.Flush();
                    reported = true;
                }
            }

            return 0;
        }

    case ["ctrlc"]:
        // A task that ignores its token is running; the first Ctrl-C must end it cancelled and let this program finish.
        return await RunUntilCtrlC(withChild: false);

    case ["ctrlc-child"]:
        // As "ctrlc", with a child process a task started still running: Ctrl-C must end it too.
        return await RunUntilCtrlC(withChild: true);

    case ["ctrlc-idle"]:
        {
            // A pool with no work must not keep Ctrl-C from ending the app.
            await using var pool = new ProcessPoolExecutor(new ProcessPoolOptions { MaxWorkers = 1 });
            Console.WriteLine("READY");
            Console.Out.Flush();
            await Task.Delay(Timeout.Infinite);
            return 0;
        }

    case ["print", var text]:
        {
            await using var pool = new ProcessPoolExecutor(new ProcessPoolOptions { MaxWorkers = 1 });
            await pool.SubmitAsync(Maths.Print, text);
            Console.WriteLine("result " + await pool.SubmitAsync(Maths.Square, 12));
            return 0;
        }

    default:
        Console.Error.WriteLine("usage: orphan <workers> | orphan-child | orphan-map <workers> | ctrlc | ctrlc-child | ctrlc-idle | print <text>");
        return 2;
}

static async Task<int> RunUntilCtrlC(bool withChild)
{
    var pool = new ProcessPoolExecutor(new ProcessPoolOptions { MaxWorkers = 1, KillGracePeriod = TimeSpan.FromMilliseconds(300) });
    int? child = withChild ? await pool.SubmitAsync(Children.StartSleep, 300) : null;
    var running = pool.SubmitAsync(Runaway.SleepThenReturnPid, 600_000);
    WorkerInfo? worker;
    while ((worker = pool.Workers.FirstOrDefault(w => w.TasksInFlight > 0)) is null)
    {
        await Task.Delay(10); // this program's own wait for its worker to be busy; the test waits on the line below
    }

    Console.WriteLine(child is { } pid ? $"PIDS {worker.ProcessId},{pid}" : $"PIDS {worker.ProcessId}");
    Console.Out.Flush();
    try
    {
        await running;
        Console.WriteLine("finished");
    }
    catch (OperationCanceledException)
    {
        Console.WriteLine("canceled");
    }

    await pool.ShutdownAsync();
    return 0;
}
