using Microsoft.Extensions.Logging;
using ProcessPool.Tests.Support;

namespace ProcessPool.Tests.Serialization;

/// <summary>A lambda in a service class ships only the fields of `this` it can reach.</summary>
public sealed class ReachTests : IAsyncLifetime
{
    private readonly ILoggerFactory _loggers = LoggerFactory.Create(_ => { });
    private readonly ProcessPoolExecutor _pool = Pools.Create(workers: 1);

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await _pool.DisposeAsync();
        _loggers.Dispose();
    }

    private PricingService Service() => new(_loggers.CreateLogger<PricingService>(), _pool);

    [Fact]
    public async Task A_lambda_reading_one_field_ships_that_field_and_not_the_logger_or_the_pool()
    {
        Assert.Equal(6, await Service().Doubled().Within());
    }

    [Fact]
    public async Task Fields_reached_through_methods_of_this_travel()
    {
        Assert.Equal(8, await Service().WithHelper().Within());
    }

    [Fact]
    public async Task A_closure_over_this_and_a_local_ships_the_reached_fields()
    {
        Assert.Equal(12, await Service().WithLocal(4).Within());
    }

    [Fact]
    public async Task An_async_lambda_reaches_fields_through_its_state_machine()
    {
        Assert.Equal(8, await Service().Async().Within());
    }

    [Fact]
    public async Task A_virtual_call_is_followed_into_the_override_of_the_run_time_type()
    {
        var discount = new DiscountService(_loggers.CreateLogger<PricingService>(), _pool);
        Assert.Equal(30, await discount.Virtual().Within());
        Assert.Equal(3, await Service().Virtual().Within());
    }

    [Fact]
    public async Task A_call_to_base_runs_the_base_method_so_its_fields_travel()
    {
        var calculator = new DerivedCalculator();
        Assert.Equal(8, await _pool.SubmitAsync(calculator.Job()).Within());
        Assert.Equal(8, await _pool.SubmitAsync(calculator.Value).Within());
    }

    [Fact]
    public async Task A_covariant_override_is_not_guessed_at()
    {
        Assert.Equal(4, await _pool.SubmitAsync(new Square().Sides).Within());
    }

    [Fact]
    public async Task A_method_bound_to_a_service_object_ships_only_what_it_reaches()
    {
        Assert.Equal((2 + 5) * 3, await _pool.SubmitAsync(Service().Compute, 2).Within());
    }

    [Fact]
    public async Task A_service_object_captured_as_a_local_ships_only_what_the_lambda_reaches_through_it()
    {
        var service = Service();
        int x = 2;
        Assert.Equal((2 + 5) * 3, await _pool.SubmitAsync(() => service.Compute(x)).Within());
        Assert.Equal(5, await _pool.SubmitAsync(() => service.Margin).Within());
    }

    [Fact]
    public void A_reached_field_that_cannot_travel_fails_at_submit_naming_the_path_and_a_fix_that_works()
    {
        var error = Assert.Throws<PayloadSerializationException>(() => { _ = Service().ThroughHttp(); });
        Assert.Contains("field '_http' of PricingService", error.Message, StringComparison.Ordinal);
        Assert.Contains("the lambda in PricingService.ThroughHttp → PricingService.UsesHttp", error.Message, StringComparison.Ordinal);
        Assert.Contains("local variable", error.Message, StringComparison.Ordinal);
        Assert.Contains("HttpClient", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("AllowedTypes", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Where_the_analysis_cannot_decide_every_field_travels_and_the_error_says_why_and_what_to_mark()
    {
        var error = Assert.Throws<PayloadSerializationException>(() => { _ = Service().PassingThis(); });
        Assert.Contains("could not tell", error.Message, StringComparison.Ordinal);
        Assert.Contains("Pricing.Price", error.Message, StringComparison.Ordinal);
        Assert.Contains("[NotShipped]", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Fields_marked_not_shipped_stay_behind_where_the_analysis_cannot_decide()
    {
        var service = new MarkedService(_loggers.CreateLogger<MarkedService>(), _pool);
        Assert.Equal(400, await service.PassingThis().Within());
    }
}
