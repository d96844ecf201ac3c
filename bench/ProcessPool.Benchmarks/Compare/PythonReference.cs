using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace ProcessPool.Benchmarks.Compare;

/// <summary>
/// Runs bench/python/reference.py (Python's ProcessPoolExecutor and multiprocessing.Pool on the same
/// workloads) and adds its figures. Without python3 it says so and adds nothing.
/// </summary>
internal static class PythonReference
{
    public static async Task<string?> MeasureAsync(string repositoryRoot, int repetitions, bool quick, IReadOnlyCollection<string> workloads, Figures figures)
    {
        var start = new ProcessStartInfo("python3") { RedirectStandardOutput = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(repositoryRoot, "bench", "python", "reference.py"));
        start.ArgumentList.Add("--reps");
        start.ArgumentList.Add(repetitions.ToString(CultureInfo.InvariantCulture));
        start.ArgumentList.Add("--only");
        start.ArgumentList.Add(string.Join(',', workloads));
        if (quick)
        {
            start.ArgumentList.Add("--quick");
        }

        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            Console.WriteLine("python3 was not found: the Python references are skipped.");
            return null;
        }

        using (process)
        {
            string json = await process.StandardOutput.ReadToEndAsync();
            await process.WaitForExitAsync();
            if (process.ExitCode != 0)
            {
                Console.WriteLine($"bench/python/reference.py failed with exit code {process.ExitCode}: the Python references are skipped.");
                return null;
            }

            using var document = JsonDocument.Parse(json);
            string version = "?";
            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (property.Name == "python")
                {
                    version = property.Value.GetString() ?? "?";
                }
                else if (property.Value.ValueKind == JsonValueKind.Number)
                {
                    figures.Add(property.Name, property.Value.GetDouble(), UnitOf(property.Name));
                }
            }

            return version;
        }
    }

    private static string UnitOf(string key) => key switch
    {
        _ when key.EndsWith("_us", StringComparison.Ordinal) => "µs",
        _ when key.EndsWith("_ms", StringComparison.Ordinal) => "ms",
        _ when key.EndsWith("_per_s", StringComparison.Ordinal) => "/s",
        _ when key.EndsWith("_mb_s", StringComparison.Ordinal) => "MB/s",
        _ when key.EndsWith("_mb", StringComparison.Ordinal) => "MB",
        _ => "",
    };
}
