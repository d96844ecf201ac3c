namespace ProcessPool.Benchmarks.Compare;

/// <summary>
/// The figures of one comparison run, by key: every repetition adds a sample, and a figure's value is
/// the median of its samples (the machine is shared and noisy).
/// </summary>
internal sealed class Figures
{
    private readonly Dictionary<string, (List<double> Samples, string Unit)> _byKey = [];

    public void Add(string key, double value, string unit)
    {
        if (!_byKey.TryGetValue(key, out var figure))
        {
            _byKey[key] = figure = ([], unit);
        }

        figure.Samples.Add(value);
    }

    public void AddMedian(string key, IEnumerable<double> values, string unit) => Add(key, Statistics.Median(values), unit);

    /// <summary>The median of the key's samples; null if it was not measured.</summary>
    public double? this[string key] => _byKey.TryGetValue(key, out var figure) ? Statistics.Median(figure.Samples) : null;

    public IEnumerable<string> Keys => _byKey.Keys;

    public string UnitOf(string key) => _byKey[key].Unit;

    public int SamplesOf(string key) => _byKey[key].Samples.Count;
}
