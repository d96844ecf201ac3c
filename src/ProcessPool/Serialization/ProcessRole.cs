namespace ProcessPool.Serialization;

/// <summary>Which side of the channel this process is, so that payload errors name the direction and the side.</summary>
internal static class ProcessRole
{
    /// <summary>Set once by the worker host before it reads anything.</summary>
    public static bool IsWorker { get; set; }

    /// <summary>"to a worker process" in the parent, "back to the parent process" in a worker.</summary>
    public static string SendDirection => IsWorker ? "back to the parent process" : "to a worker process";

    /// <summary>"The parent" or "The worker": who failed to read a payload.</summary>
    public static string Reader => IsWorker ? "The worker" : "The parent";
}
