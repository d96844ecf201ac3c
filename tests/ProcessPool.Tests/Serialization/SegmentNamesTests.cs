using ProcessPool.Serialization;

namespace ProcessPool.Tests.Serialization;

/// <summary>Shared-memory segments are named in one place: which process owns a segment shows in its name.</summary>
public sealed class SegmentNamesTests
{
    [Fact]
    public void Each_owner_has_its_own_prefix()
    {
        Assert.Equal("p-", SegmentNames.Parent);
        Assert.Equal("r3-", SegmentNames.Result(3));
        Assert.Equal(SegmentNames.Result(3), SegmentNames.Result("3"));
        Assert.Equal("p-17.seg", SegmentNames.File(SegmentNames.Parent, 17));
        Assert.Equal("r3-17.seg", SegmentNames.File(SegmentNames.Result(3), 17));
    }

    [Fact]
    public void Only_segment_files_are_read()
    {
        Assert.True(SegmentNames.IsSegment(SegmentNames.File(SegmentNames.Parent, 1)));
        Assert.False(SegmentNames.IsSegment("w1.sock"));
    }
}
