using System.Text;

namespace ProcessPool.WorkerHost;

/// <summary>
/// Replaces <see cref="Console.Out"/> and <see cref="Console.Error"/> in a worker: complete lines go to
/// the parent on the channel at once, a partial line when flushed (the worker flushes before it sends a
/// call's result, so output always precedes the result it belongs to).
/// </summary>
internal sealed class ChannelTextWriter : TextWriter
{
    private const int MaxBuffered = 1 << 14;
    private readonly Action<string> _send;
    private readonly StringBuilder _buffer = new();

    public ChannelTextWriter(Action<string> send) => _send = send;

    public override Encoding Encoding => Encoding.UTF8;

    public override void Write(char value)
    {
        _buffer.Append(value);
        if (value == '\n' || _buffer.Length >= MaxBuffered)
        {
            SendBuffered();
        }
    }

    public override void Write(char[] buffer, int index, int count) => Write(buffer.AsSpan(index, count));

    public override void Write(ReadOnlySpan<char> buffer)
    {
        _buffer.Append(buffer);
        if (buffer.Contains('\n') || _buffer.Length >= MaxBuffered)
        {
            SendBuffered();
        }
    }

    public override void Write(string? value) => Write(value.AsSpan());

    public override void Flush() => SendBuffered();

    private void SendBuffered()
    {
        if (_buffer.Length == 0)
        {
            return;
        }

        // Send whole lines; keep a trailing partial line unless it is all there is (Flush, overflow).
        string text = _buffer.ToString();
        int lastNewline = text.LastIndexOf('\n');
        string send = lastNewline >= 0 && lastNewline < text.Length - 1 && text.Length < MaxBuffered ? text[..(lastNewline + 1)] : text;
        _buffer.Remove(0, send.Length);
        _send(send.EndsWith('\n') ? send[..^1] : send);
    }
}
