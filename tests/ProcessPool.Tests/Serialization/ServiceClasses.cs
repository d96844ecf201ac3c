using Microsoft.Extensions.Logging;

namespace ProcessPool.Tests.Serialization;

/// <summary>A service class as apps write them: dependencies that cannot travel beside state that can.</summary>
public class PricingService(ILogger<PricingService> logger, ProcessPoolExecutor pool) : IDisposable
{
    private readonly int _k = 3;
    private readonly int _margin = 5;
    private readonly HttpClient _http = new();

    public Task<int> Doubled() => pool.SubmitAsync(() => _k * 2);

    public Task<int> WithHelper() => pool.SubmitAsync(() => AddMargin(_k));

    public Task<int> WithLocal(int quantity) => pool.SubmitAsync(() => _k * quantity);

    public Task<int> Async() => pool.SubmitAsync(async () =>
    {
        await Task.Yield();
        return _k + _margin;
    });

    public Task<int> Virtual() => pool.SubmitAsync(() => Factor() * _k);

    public Task<int> ThroughHttp() => pool.SubmitAsync(() => UsesHttp());

    public Task<int> PassingThis() => pool.SubmitAsync(() => Pricing.Price(this));

    public int Compute(int x) => AddMargin(x) * _k;

    public bool Verbose => logger.IsEnabled(LogLevel.Debug);

    public int Margin => _margin;

    public int K => _k;

    protected virtual int Factor() => 1;

    private int AddMargin(int x) => x + _margin;

    private int UsesHttp() => (int)(_http.Timeout.TotalSeconds > 0 ? 1 : 0);

    public void Dispose()
    {
        _http.Dispose();
        GC.SuppressFinalize(this);
    }
}

public sealed class DiscountService(ILogger<PricingService> logger, ProcessPoolExecutor pool) : PricingService(logger, pool)
{
    private readonly int _factor = 10;

    protected override int Factor() => _factor;
}

/// <summary>Hands `this` to code the analysis does not follow, so every field would travel: the logger is marked.</summary>
public sealed class MarkedService([NotShipped] ILogger<MarkedService> logger, [NotShipped] ProcessPoolExecutor pool)
{
    private readonly int _k = 4;

    public int K => _k;

    public Task<int> PassingThis() => pool.SubmitAsync(() => Pricing.Price(this));

    public bool Verbose => logger.IsEnabled(LogLevel.Debug);
}

public static class Pricing
{
    public static int Price(PricingService service) => service.K * 100;

    public static int Price(MarkedService service) => service.K * 100;
}

public class BaseCalculator
{
    private readonly int _base = 7;

    public virtual int Value() => _base;
}

/// <summary>An override that calls base.Value(): the base method's fields must travel too.</summary>
public sealed class DerivedCalculator : BaseCalculator
{
    private readonly int _extra = 1;

    public override int Value() => base.Value() + _extra;

    public Func<int> Job() => () => Value();
}

public class Shape
{
    public virtual Shape Make() => new();

    public int Sides() => Make() is Square square ? square.Count : -1;
}

/// <summary>A covariant override: a new slot the base slot does not reveal.</summary>
public sealed class Square : Shape
{
    private readonly int _count = 4;

    public int Count { get; private init; }

    public override Square Make() => new() { Count = _count };
}
