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

    case ["print", var text]:
        {
            await using var pool = new ProcessPoolExecutor(new ProcessPoolOptions { MaxWorkers = 1 });
            await pool.SubmitAsync(Maths.Print, text);
            Console.WriteLine("result " + await pool.SubmitAsync(Maths.Square, 12));
            return 0;
        }

    default:
        Console.Error.WriteLine("usage: orphan <workers> | print <text>");
        return 2;
}
