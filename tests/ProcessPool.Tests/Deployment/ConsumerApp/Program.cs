// The app of the deployment tests (see ConsumerApps.cs): it references only the ProcessPool package and
// reports, one key=value a line, what its pool computed and what its workers saw.
using System.Diagnostics;
using System.Reflection.PortableExecutable;
using ProcessPool;

await using var pool = new ProcessPoolExecutor(new ProcessPoolOptions { MaxWorkers = 2 });
int offset = 100;
int square = await pool.SubmitAsync(Functions.Square, 7);
int shifted = await pool.SubmitAsync(() => Functions.Square(3) + offset);
var mapped = new List<int>();
await foreach (int r in pool.MapAsync(Functions.Square, Enumerable.Range(0, 10)))
{
    mapped.Add(r);
}

var worker = await pool.SubmitAsync(Functions.Describe);
Console.WriteLine($"results={square},{shifted},{string.Join(',', mapped)}");
Console.WriteLine($"parent-pid={Environment.ProcessId}");
foreach (var (key, value) in worker)
{
    Console.WriteLine($"{key}={value}");
}

if (args is ["--check-runtimeconfig-directory"])
{
    // While the pool, and so its directory, is alive: who owns the directory of the worker's runtimeconfig, and its mode.
    using var stat = Process.Start(new ProcessStartInfo("stat", ["-c", "%u %a", Path.GetDirectoryName(worker["worker-runtimeconfig"])!]) { RedirectStandardOutput = true })!;
    string[] ownerAndMode = stat.StandardOutput.ReadToEnd().Split(' ', StringSplitOptions.TrimEntries);
    stat.WaitForExit();
    Console.WriteLine($"runtimeconfig-directory-owner={ownerAndMode[0]}");
    Console.WriteLine($"runtimeconfig-directory-mode={ownerAndMode[1]}");
}

static class Functions
{
    public static int Square(int x) => x * x;

    public static Dictionary<string, string> Describe()
    {
        string library = typeof(ProcessPoolExecutor).Assembly.Location;
        return new()
        {
            ["worker-pid"] = Environment.ProcessId.ToString(),
            ["worker-executable"] = Environment.ProcessPath ?? "(none)",
            ["worker-library"] = library.Length > 0 ? library : "(bundled)",
            ["worker-library-precompiled"] = library.Length > 0 && IsReadyToRun(library) ? "yes" : "no",
            ["worker-startup-hooks"] = Environment.GetEnvironmentVariable("DOTNET_STARTUP_HOOKS") ?? "(none)",
            ["worker-variables"] = string.Join(',', Environment.GetEnvironmentVariables().Keys.Cast<string>().Where(k => k.StartsWith("PROCESSPOOL_", StringComparison.Ordinal)).Order()),
            ["worker-native-variables"] = string.Join(',', WorkerVariables.Where(name => getenv(name) != 0)),
            ["worker-runtimeconfig"] = RuntimeConfigArgument() ?? "(none)",
            ["worker-planted-setting"] = AppContext.GetData("ProcessPool.Tests.Planted") as string ?? "(none)",
        };
    }

    // What native code, and a process it starts, would inherit.
    private static readonly string[] WorkerVariables =
        ["DOTNET_STARTUP_HOOKS", "PROCESSPOOL_WORKER_ENDPOINT", "PROCESSPOOL_WORKER_ID", "PROCESSPOOL_WORKER_OWN_DESCENDANTS", "PROCESSPOOL_WORKER_TOKEN"];

    [System.Runtime.InteropServices.DllImport("libc")]
    private static extern nint getenv(string name);

    private static bool IsReadyToRun(string path)
    {
        using var pe = new PEReader(File.OpenRead(path));
        return pe.PEHeaders.CorHeader?.ManagedNativeHeaderDirectory.Size > 0;
    }

    /// <summary>The runtimeconfig.json this process was started with, if its command line names one (dotnet exec).</summary>
    private static string? RuntimeConfigArgument()
    {
        string[] words = File.ReadAllText("/proc/self/cmdline").Split('\0');
        int at = Array.IndexOf(words, "--runtimeconfig");
        return at >= 0 && at + 1 < words.Length ? words[at + 1] : null;
    }
}
