namespace ProcessPool;

public sealed partial class ProcessPoolExecutor
{
    /// <summary>
    /// Rents a <see cref="SharedBuffer"/> of <paramref name="length"/> bytes from this pool's shared
    /// memory, to pass to its workers without copying (see <see cref="SharedBuffer"/> for the lifetime
    /// rules). Dispose of it to give it back; a buffer given back is rented out again, its pages warm.
    /// </summary>
    /// <param name="length">The length in bytes.</param>
    /// <returns>A buffer whose content is unspecified.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="length"/> is negative.</exception>
    /// <exception cref="ObjectDisposedException">The pool is shut down.</exception>
    /// <exception cref="IOException">The shared memory cannot be had (a full /dev/shm).</exception>
    public SharedBuffer RentBuffer(int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        ObjectDisposedException.ThrowIf(_scheduler.IsShutdown, this);
        return _policy.Payload.Segments!.RentBuffer(length);
    }
}
