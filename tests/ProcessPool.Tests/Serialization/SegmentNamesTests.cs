using ProcessPool.Serialization;

namespace ProcessPool.Tests.Serialization;

/// <summary>Shared-memory files are named in one place: who wrote a file, and for what, shows in its name.</summary>
public sealed class SegmentNamesTests
{
    [Fact]
    public void Each_writer_has_its_own_prefix()
    {
        Assert.Equal("a", SegmentNames.Argument);
        Assert.Equal("m", SegmentNames.MapItem);
        Assert.Equal("r3-", SegmentNames.Result(3));
        Assert.Equal(SegmentNames.Result(3), SegmentNames.Result("3"));
        Assert.Equal("a17.seg", SegmentNames.File(SegmentNames.Argument, 17));
        Assert.Equal("r3-17.seg", SegmentNames.File(SegmentNames.Result(3), 17));
    }

    [Fact]
    public void Spares_belong_to_the_process_that_wrote_the_file()
    {
        // The parent writes arguments and map items: one owner. Each worker owns its results' files.
        Assert.Equal("free-p-", SegmentNames.SpareOf(SegmentNames.File(SegmentNames.Argument, 1)));
        Assert.Equal("free-p-", SegmentNames.SpareOf(SegmentNames.File(SegmentNames.MapItem, 2)));
        Assert.Equal("free-r3-", SegmentNames.SpareOf(SegmentNames.File(SegmentNames.Result(3), 4)));
        Assert.Equal(SegmentNames.SpareOf(SegmentNames.Result(12)), SegmentNames.SpareOf(SegmentNames.File(SegmentNames.Result(12), 5)));
        Assert.StartsWith(SegmentNames.AnySpare, SegmentNames.SpareOf(SegmentNames.Result(3)), StringComparison.Ordinal);
    }

    [Fact]
    public void Only_segment_files_are_read()
    {
        Assert.True(SegmentNames.IsSegment(SegmentNames.File(SegmentNames.Argument, 1)));
        Assert.False(SegmentNames.IsSegment("w1.sock"));
    }
}
