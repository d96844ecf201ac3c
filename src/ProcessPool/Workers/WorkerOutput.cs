using System.Diagnostics;
using System.Text;

namespace ProcessPool.Workers;

/// <summary>
/// Forwards a worker's stdout and stderr lines, prefixed with <c>[worker N]</c>, and keeps the last
/// lines of stderr for crash reports (the runtime writes its own "Stack overflow" or FailFast report there).
/// </summary>
internal sealed class WorkerOutput
{
    private const int TailLines = 30;
    private const int MaxLineLength = 1000;
    private readonly Queue<string> _tail = new();
    private readonly string _prefix;
    private readonly TextWriter? _sink;

    public WorkerOutput(int workerId, TextWriter? sink)
    {
        _prefix = $"[worker {workerId}] ";
        _sink = sink;
    }

    public void Attach(Process process)
    {
        process.OutputDataReceived += (_, e) => OnLine(e.Data, isError: false);
        process.ErrorDataReceived += (_, e) => OnLine(e.Data, isError: true);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public string StandardErrorTail()
    {
        lock (_tail)
        {
            var text = new StringBuilder();
            foreach (string line in _tail)
            {
                text.AppendLine(line);
            }

            return text.ToString().TrimEnd();
        }
    }

    /// <summary>Forwards text that arrived on the channel (Console output of the worker's managed code).</summary>
    public void Forward(bool isError, string text)
    {
        foreach (string line in text.Split('\n'))
        {
            OnLine(line.TrimEnd('\r'), isError);
        }
    }

    private void OnLine(string? line, bool isError)
    {
        if (line is null)
        {
            return;
        }

        if (isError)
        {
            lock (_tail)
            {
                _tail.Enqueue(line.Length > MaxLineLength ? line[..MaxLineLength] + "…" : line);
                if (_tail.Count > TailLines)
                {
                    _tail.Dequeue();
                }
            }
        }

        var sink = _sink ?? Console.Error;
        try
        {
            lock (sink)
            {
                sink.WriteLine(_prefix + line);
            }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or InvalidOperationException)
        {
            // A closed or broken sink loses the line; it must not take the worker, or the parent, down.
        }
    }
}
