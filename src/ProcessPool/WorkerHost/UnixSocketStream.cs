using System.Runtime.InteropServices;
using System.Text;

namespace ProcessPool.WorkerHost;

/// <summary>
/// The worker's end of the channel: a Unix stream socket through the C library. A worker needs only a
/// blocking connect, read and write, and <see cref="System.Net.Sockets.Socket"/> costs a new worker
/// 6–15 ms of its start (loading the sockets assemblies and their event sources, measured here), on the
/// path to its first result. One thread reads while another writes, as the socket allows.
/// </summary>
internal sealed partial class UnixSocketStream : Stream
{
    private const int AddressFamilyUnix = 1;
    private const int SocketStream = 1;
    private const int SocketCloseOnExec = 0x80000; // SOCK_CLOEXEC: the processes a task starts do not inherit the channel
    private const int NoSignal = 0x4000; // MSG_NOSIGNAL: a closed channel is an error, not SIGPIPE
    private const int Interrupted = 4; // EINTR
    private const int PathCapacity = 108; // sun_path
    private const int ShutdownBoth = 2; // SHUT_RDWR
    private const short PollHangUp = 0x10; // POLLHUP: both directions closed (the parent's process is gone)
    private const short PollInvalid = 0x20; // POLLNVAL
    private const short PollReadHangUp = 0x2000; // POLLRDHUP (Linux): the parent closed its end

    private readonly int _descriptor;
    private int _closed;

    private UnixSocketStream(int descriptor) => _descriptor = descriptor;

    /// <summary>Connects to the socket at <paramref name="path"/>; throws <see cref="IOException"/> with the reason when it cannot.</summary>
    public static unsafe UnixSocketStream Connect(string path)
    {
        int length = Encoding.UTF8.GetByteCount(path);
        if (length >= PathCapacity)
        {
            throw new IOException($"The socket path '{path}' is longer than a Unix socket address allows.");
        }

        int descriptor = Socket(AddressFamilyUnix, SocketStream | SocketCloseOnExec, 0);
        if (descriptor < 0)
        {
            throw Failure("socket");
        }

        var address = stackalloc byte[2 + PathCapacity];
        new Span<byte>(address, 2 + PathCapacity).Clear();
        *(ushort*)address = AddressFamilyUnix;
        Encoding.UTF8.GetBytes(path, new Span<byte>(address + 2, PathCapacity));
        while (ConnectTo(descriptor, address, 2 + length + 1) != 0)
        {
            if (Marshal.GetLastPInvokeError() != Interrupted)
            {
                var error = Failure("connect");
                _ = Close(descriptor);
                throw error;
            }
        }

        return new UnixSocketStream(descriptor);
    }

    public override bool CanRead => true;

    public override bool CanWrite => true;

    public override bool CanSeek => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override unsafe int Read(Span<byte> buffer)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _closed) != 0, this); // the descriptor's number may be another file's by now
        fixed (byte* bytes = buffer)
        {
            while (true)
            {
                nint read = Receive(_descriptor, bytes, buffer.Length, 0);
                if (read >= 0)
                {
                    return (int)read; // 0: the parent closed the channel
                }

                if (Marshal.GetLastPInvokeError() != Interrupted)
                {
                    throw Failure("recv");
                }
            }
        }
    }

    /// <summary>
    /// Whether the parent closed its end (or died): asked by a writer waiting for room in a full reply
    /// ring, which no dead parent will make. It only looks: queued input stays for the reader thread.
    /// </summary>
    public unsafe bool PeerClosed()
    {
        if (Volatile.Read(ref _closed) != 0)
        {
            return true;
        }

        var poll = new PollDescriptor { Descriptor = _descriptor, Events = PollHangUp | PollReadHangUp };
        int ready = Poll(&poll, 1, 0);
        return ready > 0 && (poll.ReturnedEvents & (PollHangUp | PollReadHangUp | PollInvalid)) != 0;
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override unsafe void Write(ReadOnlySpan<byte> buffer)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _closed) != 0, this);
        fixed (byte* bytes = buffer)
        {
            int sent = 0;
            while (sent < buffer.Length)
            {
                nint written = Send(_descriptor, bytes + sent, buffer.Length - sent, NoSignal);
                if (written >= 0)
                {
                    sent += (int)written;
                }
                else if (Marshal.GetLastPInvokeError() != Interrupted)
                {
                    throw Failure("send");
                }
            }
        }
    }

    public override void Flush()
    {
        // Nothing is buffered here.
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (Interlocked.Exchange(ref _closed, 1) == 0)
        {
            _ = Shutdown(_descriptor, ShutdownBoth); // a thread blocked in recv wakes to the end of the stream
            _ = Close(_descriptor);
        }

        base.Dispose(disposing);
    }

    private static IOException Failure(string call) =>
        new($"{call} failed: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}", Marshal.GetLastPInvokeError());

    [LibraryImport("libc", EntryPoint = "socket", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static partial int Socket(int domain, int type, int protocol);

    [LibraryImport("libc", EntryPoint = "connect", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static unsafe partial int ConnectTo(int descriptor, byte* address, int addressLength);

    [LibraryImport("libc", EntryPoint = "recv", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static unsafe partial nint Receive(int descriptor, byte* buffer, nint length, int flags);

    [LibraryImport("libc", EntryPoint = "send", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static unsafe partial nint Send(int descriptor, byte* buffer, nint length, int flags);

    [LibraryImport("libc", EntryPoint = "shutdown", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static partial int Shutdown(int descriptor, int how);

    [LibraryImport("libc", EntryPoint = "poll", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static unsafe partial int Poll(PollDescriptor* descriptors, nuint count, int timeoutMilliseconds);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static partial int Close(int descriptor);

    [StructLayout(LayoutKind.Sequential)]
    private struct PollDescriptor
    {
        public int Descriptor;
        public short Events;
        public short ReturnedEvents;
    }
}
