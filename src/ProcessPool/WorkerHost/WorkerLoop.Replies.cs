using ProcessPool.Protocol;

namespace ProcessPool.WorkerHost;

/// <summary>
/// The worker's outgoing messages: every reply, output line and report goes into <c>_out</c> under the
/// write lock and out through the reply ring (<see cref="ReplyWriter"/>); the reader's answers to
/// Withdraw never wait for that lock.
/// </summary>
internal sealed partial class WorkerLoop
{
    private void FlushBeforeExit()
    {
        try
        {
            Flush();
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            // The parent is gone too: nothing can reach it.
        }
    }

    private void SendOutput(bool isError, string text)
    {
        _writeLock.Enter();
        try
        {
            if (_stopping)
            {
                return; // the channel is closing: output of stray threads is dropped, not thrown at them
            }

            try
            {
                new OutputMessage(isError, text).Write(_out);
                Flush();
            }
            catch (Exception e) when (e is IOException or ObjectDisposedException)
            {
                _out.Clear(); // the parent is gone; the reader thread is ending the process
            }
        }
        finally
        {
            ReleaseWriteLock();
        }
    }

    /// <summary>
    /// Sends the report of an exception that is about to end the process, and returns once it is in the
    /// reply ring (or on the socket): the parent reads it before it reports the channel closed. A write lock held by a stuck thread
    /// is not waited for long; the crash is then reported without its cause.
    /// </summary>
    private void SendUnhandled(UnhandledMessage message)
    {
        if (!_writeLock.TryEnter(UnhandledReportTimeout))
        {
            return;
        }

        try
        {
            message.Write(_out);
            Flush();
        }
        finally
        {
            ReleaseWriteLock();
        }
    }

    private void Reply(CallIdMessage canceled)
    {
        lock (_writeLock)
        {
            canceled.Write(_out, MessageType.Canceled);
        }
    }

    /// <summary>
    /// The reader's answer to a Withdraw. The reader never waits for the write lock: its holder may be
    /// waiting for room in a full ring, and if the parent died meanwhile only the reader, seeing the end
    /// of the stream, ends this process. So the answer is queued, and written now if the lock is free;
    /// if not, its holder writes it as it lets go (<see cref="ReleaseWriteLock"/>).
    /// </summary>
    private void ReplyWithdrawn(long callId)
    {
        _withdrawn.Enqueue(callId);
        if (_writeLock.TryEnter())
        {
            try
            {
                Flush();
            }
            finally
            {
                ReleaseWriteLock();
            }
        }
    }

    private void Flush()
    {
        _writeLock.Enter();
        try
        {
            while (_withdrawn.TryDequeue(out long callId))
            {
                new CallIdMessage(callId).Write(_out, MessageType.Canceled);
            }

            if (_out.Length > 0)
            {
                _replies.Write(_out);
                _out.Clear();
            }
        }
        finally
        {
            ReleaseWriteLock();
        }
    }

    /// <summary>Leaves the write lock, then writes the answers the reader queued while this thread held it.</summary>
    private void ReleaseWriteLock()
    {
        _writeLock.Exit();
        if (_withdrawn.IsEmpty || _writeLock.IsHeldByCurrentThread)
        {
            return; // nothing queued, or an outer holder on this thread will look
        }

        try
        {
            Flush();
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            // The parent is gone: the reader thread, or the next write, ends the process.
        }
    }
}
