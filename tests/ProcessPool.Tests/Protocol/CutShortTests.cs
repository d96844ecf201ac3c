using ProcessPool.Protocol;

namespace ProcessPool.Tests.Protocol;

/// <summary>A frame cut short (a worker that died while writing) is told apart from garbage: one is a crash, the other a protocol error.</summary>
public sealed class CutShortTests
{
    [Theory]
    [InlineData(new byte[] { 5, 0 })] // inside the header
    [InlineData(new byte[] { 9, 0, 0, 0, (byte)MessageType.Result, 1, 2 })] // inside the body
    public void A_stream_ending_inside_a_frame_is_cut_short(byte[] bytes)
    {
        var reader = new FrameReader(new MemoryStream(bytes));
        Assert.True(Assert.Throws<ProtocolException>(() => reader.TryRead(out _)).CutShort);
    }

    [Theory]
    [InlineData(new byte[] { 5, 0, 0, 0, 0xEE, 1, 2, 3, 4 })] // unknown type
    [InlineData(new byte[] { 0, 0, 0, 0, 3 })] // zero length
    public void A_malformed_frame_is_not_cut_short(byte[] bytes)
    {
        var reader = new FrameReader(new MemoryStream(bytes));
        Assert.False(Assert.Throws<ProtocolException>(() => reader.TryRead(out _)).CutShort);
    }
}
