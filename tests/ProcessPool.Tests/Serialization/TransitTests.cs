using ProcessPool.Tests.Support;

namespace ProcessPool.Tests.Serialization;

/// <summary>What travels arrives intact, through real workers, both ways.</summary>
public sealed class TransitTests
{
    [Fact]
    public async Task A_dictionary_keyed_by_tuples_travels_as_an_argument()
    {
        await using var pool = Pools.Create(workers: 1);
        var values = new Dictionary<(int, int), int> { [(1, 2)] = 3, [(4, 5)] = 6 };
        Assert.Equal(21, await pool.SubmitAsync(Transit.SumKeys, values).Within());
    }

    [Fact]
    public async Task Dictionaries_and_sets_keyed_by_structs_travel_as_results()
    {
        await using var pool = Pools.Create(workers: 1);
        var counts = await pool.SubmitAsync(Transit.CountCoordinates, 5).Within();
        Assert.Equal(3, counts[new Coordinate(3, -3)]);
        Assert.Contains(new Coordinate(2, 2), await pool.SubmitAsync(Transit.Coordinates, 4).Within());
    }

    [Fact]
    public async Task A_case_insensitive_dictionary_stays_case_insensitive()
    {
        await using var pool = Pools.Create(workers: 1);
        var values = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase) { ["Key"] = 1 };
        Assert.True(await pool.SubmitAsync(Transit.HasKeyIgnoringCase, values, "KEY").Within());
    }

    [Theory]
    [InlineData(DateTimeKind.Local)]
    [InlineData(DateTimeKind.Unspecified)]
    [InlineData(DateTimeKind.Utc)]
    public async Task A_date_time_keeps_its_kind_and_ticks_both_ways(DateTimeKind kind)
    {
        await using var pool = Pools.Create(workers: 1, o => o.EnvironmentVariables["TZ"] = "America/New_York");
        var value = new DateTime(2026, 12, 6, 7, 8, 9, kind);
        Assert.Equal($"{value.Ticks}:{kind}", await pool.SubmitAsync(Transit.DescribeDate, value).Within());
        var back = await pool.SubmitAsync(Transit.SameDate, value).Within();
        Assert.Equal((value.Ticks, kind), (back.Ticks, back.Kind));
    }

    [Fact]
    public async Task A_value_declared_as_object_arrives_as_its_own_type()
    {
        await using var pool = Pools.Create(workers: 1);
        Assert.Equal("System.Int32", await pool.SubmitAsync(Transit.TypeOf, (object)5).Within());
        Assert.Equal(typeof(List<double>).FullName, await pool.SubmitAsync(Transit.TypeOf, (object)new List<double> { 1.5 }).Within());
    }

    [Fact]
    public async Task A_class_whose_constructor_does_not_match_its_members_travels_both_ways()
    {
        await using var pool = Pools.Create(workers: 1);
        Assert.Equal(21.5, await pool.SubmitAsync(Transit.Celsius, new Reading(21.5)).Within());
        Assert.Equal(-4, (await pool.SubmitAsync(Transit.MakeReading, -4.0).Within()).Celsius);
    }

    [Fact]
    public async Task A_linked_list_of_thousands_of_nodes_travels_both_ways()
    {
        await using var pool = Pools.Create(workers: 1);
        Assert.Equal(5000, await pool.SubmitAsync(Transit.ChainLength, Transit.MakeChain(5000)).Within());
        var back = await pool.SubmitAsync(Transit.MakeChain, 5000).Within();
        Assert.Equal(5000, Transit.ChainLength(back));
    }

    [Fact]
    public async Task A_cycle_is_refused_at_submit_as_a_cycle()
    {
        await using var pool = Pools.Create(workers: 1);
        var head = Transit.MakeChain(3);
        head.Next!.Next!.Next = head;
        var error = Assert.Throws<PayloadSerializationException>(() => { _ = pool.SubmitAsync(Transit.ChainLength, head); });
        Assert.Contains("cycle", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_argument_the_worker_cannot_read_fails_the_task_with_PayloadSerializationException_naming_the_side()
    {
        await using var pool = Pools.Create(workers: 1);
        var error = await Assert.ThrowsAsync<PayloadSerializationException>(() => pool.SubmitAsync(Transit.Echo, new Fragile { Value = 1 }).Within());
        Assert.Contains("The worker cannot read argument 1", error.Message, StringComparison.Ordinal);
        Assert.Contains(typeof(Fragile).FullName!, error.Message, StringComparison.Ordinal);
        Assert.Equal(typeof(Fragile), error.MemberType);
    }

    [Fact]
    public async Task A_map_item_the_worker_cannot_read_ends_the_map_with_PayloadSerializationException()
    {
        await using var pool = Pools.Create(workers: 1);
        var error = await Assert.ThrowsAsync<PayloadSerializationException>(() => pool.MapAsync(Transit.Echo, [new Fragile { Value = 1 }]).ToListWithin());
        Assert.Contains("The worker cannot read", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_json_element_gets_advice_that_works()
    {
        await using var pool = Pools.Create(workers: 1);
        using var document = System.Text.Json.JsonDocument.Parse("{\"a\": 1}");
        var error = Assert.Throws<PayloadSerializationException>(() => { _ = pool.SubmitAsync(Maths.Identity, document.RootElement); });
        Assert.Contains("GetRawText", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_result_the_parent_cannot_read_fails_the_task_with_PayloadSerializationException_naming_the_side()
    {
        await using var pool = Pools.Create(workers: 1);
        var error = await Assert.ThrowsAsync<PayloadSerializationException>(() => pool.SubmitAsync(Transit.MakeFragile, 1).Within());
        Assert.Contains("The parent cannot read the result", error.Message, StringComparison.Ordinal);
        Assert.Contains(typeof(Fragile).FullName!, error.Message, StringComparison.Ordinal);
        Assert.Equal(2, await pool.SubmitAsync(Maths.Add, 1, 1).Within()); // the worker was not blamed
    }

    [Fact]
    public async Task A_framework_object_inside_an_argument_gets_advice_that_works()
    {
        await using var pool = Pools.Create(workers: 1);
        var error = Assert.Throws<PayloadSerializationException>(() => { _ = pool.SubmitAsync(Maths.Identity, new Simulation()); });
        Assert.Contains("System.Random", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("AllowedTypes", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_exception_with_state_the_parent_reads_with_the_pools_allowed_types_arrives_whole()
    {
        await using var pool = Pools.Create(workers: 1, o => o.AllowedTypes.Add(typeof(Money)));
        var error = await Assert.ThrowsAsync<DetailedException>(() => pool.SubmitAsync(HardFailures.ThrowDetailed, 5).Within());
        Assert.Equal(5m, Assert.IsType<Money>(error.Info!.Extra).Amount);
        Assert.Equal(5m, Assert.IsType<Money>(error.Data["money"]).Amount);
        Assert.Equal("still here", error.Data["plain"]);
    }

    [Fact]
    public async Task An_exception_with_state_that_cannot_travel_still_ends_the_task_and_the_pool_shuts_down()
    {
        await using var pool = Pools.Create(workers: 1);
        var error = await Assert.ThrowsAsync<DetailedException>(() => pool.SubmitAsync(HardFailures.ThrowDetailed, 5).Within());
        Assert.Null(error.Info?.Extra); // Money is not allowed here: left out, the rest stands
        Assert.Equal("still here", error.Data["plain"]);
        await pool.ShutdownAsync().Within();
    }

    [Fact]
    public async Task An_exception_that_refers_to_itself_comes_back_once()
    {
        await using var pool = Pools.Create(workers: 1);
        var error = await Assert.ThrowsAsync<LoopingException>(() => pool.SubmitAsync(HardFailures.ThrowLooping, 0).Within());
        Assert.Equal("looping", error.Message);
    }

    [Fact]
    public async Task Value_tasks_backed_by_a_pooled_source_or_a_channel_are_awaited_properly()
    {
        await using var pool = Pools.Create(workers: 1);
        Assert.Equal(3, await pool.SubmitAsync(HardFailures.PooledValueTaskAsync, 2).Within());
        Assert.Equal(6, await pool.SubmitAsync(HardFailures.FromChannelAsync, 2).Within());
    }

    [Fact]
    public async Task A_map_whose_function_returns_a_cancellation_token_keeps_its_results_in_step()
    {
        await using var pool = Pools.Create(workers: 1);
        var tokens = await pool.MapAsync(HardFailures.TokenOf, Enumerable.Range(0, 20)).ToListWithin();
        Assert.Equal(20, tokens.Count);
    }
}
