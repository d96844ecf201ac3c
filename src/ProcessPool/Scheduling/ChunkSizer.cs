namespace ProcessPool.Scheduling;

/// <summary>
/// Chooses Map's chunk size. Fixed when the caller gave one; otherwise it starts at one item and
/// doubles towards the size at which a chunk costs its worker about <see cref="TargetChunkTime"/>,
/// measured from the worker's own timing of the chunks that came back: slow items travel alone,
/// tiny items in big batches that amortize the message cost.
/// </summary>
internal sealed class ChunkSizer
{
    private const int MaxAutomaticChunk = 8192;
    private static readonly TimeSpan TargetChunkTime = TimeSpan.FromMilliseconds(2);
    private readonly int _fixed;
    private readonly int _workers;
    private readonly int _maxInFlight;
    private double _ticksPerItem = -1;
    private int _current = 1;

    public ChunkSizer(MapOptions options, int workers, bool oneItemPerTask)
    {
        _fixed = options.ChunkSize > 0 ? options.ChunkSize : oneItemPerTask ? 1 : 0;
        _workers = workers;
        _maxInFlight = options.MaxInFlight;
    }

    /// <summary>Items in the next chunk.</summary>
    public int ChunkSize
    {
        get
        {
            int size = _fixed > 0 ? _fixed : _current;
            return _maxInFlight > 0 ? Math.Min(size, _maxInFlight) : size;
        }
    }

    /// <summary>
    /// Items read but not yet handed to the consumer, at the most. The automatic window holds several
    /// chunks per worker, so that results waiting their turn (Map yields in input order) do not
    /// starve the workers of new chunks.
    /// </summary>
    public int MaxInFlight => _maxInFlight > 0 ? _maxInFlight : (int)Math.Min(int.MaxValue, Math.Max(32L, 8L * _workers) * ChunkSize);

    public void Observe(int items, TimeSpan workerTime)
    {
        if (_fixed > 0 || items == 0)
        {
            return;
        }

        double perItem = Math.Max(workerTime.Ticks, 1) / (double)items;
        _ticksPerItem = _ticksPerItem < 0 ? perItem : (0.7 * _ticksPerItem) + (0.3 * perItem);
        double ideal = TargetChunkTime.Ticks / _ticksPerItem;
        _current = (int)Math.Clamp(Math.Min(_current * 2.0, ideal), 1, MaxAutomaticChunk);
    }
}
