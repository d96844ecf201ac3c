namespace ProcessPool.Tests.Support;

/// <summary>What a process holds, counted from /proc: live child processes, open file descriptors, threads.</summary>
internal readonly record struct ResourceCounts(int ChildProcesses, int FileDescriptors, int Threads)
{
    public static ResourceCounts Take()
    {
        int self = Environment.ProcessId;
        int children = 0;
        foreach (string dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out int pid))
            {
                continue;
            }

            try
            {
                string stat = File.ReadAllText(Path.Combine(dir, "stat"));
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                if (int.Parse(fields[1], System.Globalization.CultureInfo.InvariantCulture) == self)
                {
                    children++; // zombies too: a child never waited for is a leak
                }
            }
            catch (IOException)
            {
                // exited while we looked
            }
        }

        return new ResourceCounts(children, Directory.GetFiles("/proc/self/fd").Length, Directory.GetDirectories("/proc/self/task").Length);
    }

    public override string ToString() => $"{ChildProcesses} child processes, {FileDescriptors} fds, {Threads} threads";
}
