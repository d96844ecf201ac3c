using System.Runtime.InteropServices;

namespace ProcessPool.WorkerHost;

/// <summary>
/// The entry points of a worker process. The library assembly is itself the worker host: the pool runs
/// <c>dotnet exec --runtimeconfig app.runtimeconfig.json --depsfile app.deps.json ProcessPool.dll</c>
/// with these arguments, so the worker resolves exactly the app's assemblies; an app that ships no
/// <c>dotnet</c> (self-contained, single-file) is run itself, and <see cref="StartupHook"/> turns it
/// into a worker before its Main.
/// </summary>
internal static class WorkerProgram
{
    public const string WorkerFlag = "--processpool-worker";
    public const string OwnDescendantsFlag = "--own-descendants";
    public const string TokenVariable = "PROCESSPOOL_WORKER_TOKEN";

    private static int Main(string[] args)
    {
        if (args is not [WorkerFlag, var endpoint, var workerId, .. var options] || options is not ([] or [OwnDescendantsFlag]))
        {
            Console.Error.WriteLine("ProcessPool.dll is the worker host of ProcessPool: ProcessPoolExecutor starts it; it is not run by hand.");
            return 2;
        }

        return Run(endpoint, workerId, ownDescendants: options is [OwnDescendantsFlag]);
    }

    /// <summary>
    /// Serves the pool at <paramref name="endpoint"/> until it closes the channel; returns the exit code.
    /// <paramref name="ownDescendants"/>: the worker holds on to the processes its tasks start
    /// (<see cref="ProcessPoolOptions.KillWorkerDescendants"/>).
    /// </summary>
    public static int Run(string endpoint, string workerId, bool ownDescendants)
    {
        // The token first (reading and unsetting variables races with native code reading them, as the
        // warm-up's OpenSSL does); then the warm-up, the longest path to the first result (it runs no
        // user code and starts no process).
        string token = Environment.GetEnvironmentVariable(TokenVariable) ?? "";
        WorkerEnvironment.Set(TokenVariable, null); // user code and its children need not see it
        WorkerWarmUp.Start();
        if (ownDescendants)
        {
            Descendants.Adopt(); // before anything can start a process
        }

        // Ctrl-C in a terminal reaches the whole foreground process group, which holds the worker unless
        // it leads a group of its own; either way the parent decides what it cancels.
        using var ignoreCtrlC = PosixSignalRegistration.Create(PosixSignal.SIGINT, static context => context.Cancel = true);

        using var loop = new WorkerLoop(endpoint, token, workerId);
        return loop.Run();
    }
}
