using System.Buffers;
using System.Runtime.InteropServices;

namespace ProcessPool;

/// <summary>
/// A block of memory that a pool's parent and its workers share, rented from the pool and returned
/// to it on <see cref="Dispose"/>: large data that travels as a <see cref="SharedBuffer"/> is not
/// copied on the way, and warm buffers are reused without fresh page faults.
/// </summary>
/// <remarks>
/// <para>Rent one in the parent with <see cref="ProcessPoolExecutor.RentBuffer"/> and inside a worker
/// with <see cref="Rent"/>. Passed as an argument (or inside one), the worker sees the caller's memory
/// for the duration of the call; returned as a result (or inside one), it becomes the caller's, who
/// reads the worker's memory and disposes of the buffer to give it back to that worker.</para>
/// <para>Lifetime rules (see docs/shared-buffers.md):</para>
/// <list type="bullet">
/// <item>The caller must not write to an argument buffer until its task completes. Disposing of it
/// early is safe: its memory is not reused before the calls that carry it have ended.</item>
/// <item>A worker must not keep an argument buffer after its call returns: the worker's view of it
/// is disposed then. A worker treats an argument buffer as read-only.</item>
/// <item>A buffer a worker returns is no longer the worker's: its own object is disposed once the
/// result is sent. The caller disposes of it, and keeps it alive (<c>using</c>) while it uses a span of
/// it: a span does not keep the buffer alive. One never disposed of is not given back (no finalizer
/// could know that no span is still in use): its memory stays with the worker that rented it until that
/// worker exits or the pool shuts down.</item>
/// <item>A result stays readable if its worker exits; the memory goes when the buffer is disposed.</item>
/// <item>A buffer belongs to one pool: passing it to another pool throws.</item>
/// <item>Every member but <see cref="Length"/> and <see cref="Dispose"/> throws <see cref="ObjectDisposedException"/>
/// after <see cref="Dispose"/>. A span taken before must not be used after it.</item>
/// </list>
/// <para>A rented buffer's initial content is unspecified (it may hold what its last user wrote).</para>
/// </remarks>
public sealed class SharedBuffer : IMemoryOwner<byte>
{
    private readonly SharedSegment _segment;
    private readonly Holding _holding;
    private int _holders = 1; // this object, plus one per call in flight that carries it
    private int _disposed;
    private int _sent;
    private Manager? _manager;

    internal SharedBuffer(SharedSegment segment, int length, Holding holding)
    {
        _segment = segment;
        Length = length;
        _holding = holding;
    }

    /// <summary>How a process holds a buffer.</summary>
    internal enum Holding
    {
        /// <summary>Rented from this process's own pool.</summary>
        Rented,

        /// <summary>Rented by another process, which gave it to this one (a worker's result).</summary>
        Received,

        /// <summary>A view of another process's buffer for the duration of one call (an argument in a worker).</summary>
        Borrowed,
    }

    /// <summary>How a worker rents its own buffers; set by the worker host, null outside a worker.</summary>
    internal static Func<int, SharedBuffer>? WorkerRent { get; set; }

    /// <summary>The buffer's length in bytes.</summary>
    public int Length { get; }

    /// <summary>The buffer's bytes.</summary>
    /// <exception cref="ObjectDisposedException">The buffer was disposed of.</exception>
    public unsafe Span<byte> Span
    {
        get
        {
            ThrowIfDisposed();
            return new Span<byte>((void*)_segment.Data, Length);
        }
    }

    /// <summary>The buffer's bytes, as <see cref="Memory{T}"/> (for async APIs).</summary>
    /// <exception cref="ObjectDisposedException">The buffer was disposed of.</exception>
    public Memory<byte> Memory
    {
        get
        {
            ThrowIfDisposed();
            return (_manager ??= new Manager(this)).Memory;
        }
    }

    internal SharedSegment Segment => _segment;

    internal bool IsBorrowed => _holding == Holding.Borrowed;

    internal bool IsDisposed => Volatile.Read(ref _disposed) != 0;

    /// <summary>Rents a buffer from this worker's own pool, to return as (part of) a result.</summary>
    /// <param name="length">The length in bytes.</param>
    /// <returns>A buffer of <paramref name="length"/> bytes, whose content is unspecified.</returns>
    /// <exception cref="InvalidOperationException">Not called inside a worker.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="length"/> is negative.</exception>
    /// <exception cref="IOException">The shared memory cannot be had (a full /dev/shm).</exception>
    public static SharedBuffer Rent(int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        var rent = WorkerRent ?? throw new InvalidOperationException(
            "SharedBuffer.Rent works inside a pool's worker. In the process that owns the pool, rent from the pool: pool.RentBuffer(length).");
        return rent(length);
    }

    /// <summary>The buffer's bytes as elements of <typeparamref name="T"/> (as many as fit).</summary>
    /// <typeparam name="T">A type without references (int, double, a struct of those).</typeparam>
    /// <returns>The span of elements.</returns>
    /// <exception cref="ObjectDisposedException">The buffer was disposed of.</exception>
    public Span<T> AsSpan<T>()
        where T : unmanaged => MemoryMarshal.Cast<byte, T>(Span);

    /// <summary>
    /// Gives the buffer back: to this process's pool, or to the worker that lent it. Memory a call in
    /// flight carries is given back when that call ends. Disposing again does nothing.
    /// </summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            ReleaseHolder(reusable: true);
        }
    }

    /// <summary>A call is carrying this buffer to a worker: its memory stays until <see cref="EndCall"/>.</summary>
    internal void BeginCall()
    {
        ThrowIfDisposed();
        Interlocked.Increment(ref _holders);
    }

    /// <summary>A call that carried this buffer ended; <paramref name="reusable"/> is false when a worker may still touch it.</summary>
    internal void EndCall(bool reusable) => ReleaseHolder(reusable);

    /// <summary>Marks the buffer as sent as a result; false if it was sent already (one owner at a time).</summary>
    internal bool TryMarkSent() => Interlocked.Exchange(ref _sent, 1) == 0;

    /// <summary>Not sent after all (the result failed): the buffer may be sent again.</summary>
    internal void UnmarkSent() => Volatile.Write(ref _sent, 0);

    /// <summary>The buffer went to another process with its result: this object lets go without giving the memory back.</summary>
    internal void Detach() => Volatile.Write(ref _disposed, 1);

    private void ReleaseHolder(bool reusable)
    {
        if (Interlocked.Decrement(ref _holders) != 0)
        {
            return;
        }

        switch (_holding)
        {
            case Holding.Rented when reusable:
                _segment.Return();
                break;
            case Holding.Rented:
                _segment.Retire();
                break;
            case Holding.Received:
                if (reusable)
                {
                    _segment.MarkFree();
                }

                _segment.Release();
                break;
            default:
                _segment.Release();
                break;
        }
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(IsDisposed, this);

    /// <summary>Memory over the mapping, checked on each use.</summary>
    private sealed class Manager(SharedBuffer owner) : MemoryManager<byte>
    {
        public override Span<byte> GetSpan() => owner.Span;

        public override unsafe MemoryHandle Pin(int elementIndex = 0)
        {
            owner.ThrowIfDisposed();
            ArgumentOutOfRangeException.ThrowIfGreaterThan((uint)elementIndex, (uint)owner.Length, nameof(elementIndex));
            return new MemoryHandle((byte*)owner._segment.Data + elementIndex);
        }

        public override void Unpin()
        {
        }

        protected override void Dispose(bool disposing)
        {
        }
    }
}
