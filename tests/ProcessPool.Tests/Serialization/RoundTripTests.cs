using System.Numerics;

namespace ProcessPool.Tests.Serialization;

/// <summary>What travels arrives intact: values written and read back as parent and worker do, in this process.</summary>
public sealed class RoundTripTests
{
    [Fact]
    public void Dictionaries_keyed_by_tuples_records_and_structs_travel()
    {
        var byTuple = new Dictionary<(int, int), int> { [(1, 2)] = 3, [(4, 5)] = 9 };
        Assert.Equal(byTuple, PayloadRoundTrip.Of(byTuple));

        var byStruct = new Dictionary<GridPoint, string> { [new GridPoint(1, 2)] = "a" };
        Assert.Equal("a", PayloadRoundTrip.Of(byStruct)[new GridPoint(1, 2)]);

        var byRecord = new Dictionary<Person, int> { [new Person("Ann", 3)] = 1 };
        Assert.Equal(1, PayloadRoundTrip.Of(byRecord)[new Person("Ann", 3)]);

        var set = new HashSet<GridPoint> { new(1, 1), new(2, 2) };
        Assert.True(set.SetEquals(PayloadRoundTrip.Of(set)));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Well_known_string_comparers_are_kept(int which)
    {
        StringComparer comparer = which switch
        {
            0 => StringComparer.OrdinalIgnoreCase,
            1 => StringComparer.Ordinal,
            2 => StringComparer.InvariantCultureIgnoreCase,
            _ => StringComparer.InvariantCulture,
        };
        var dictionary = new Dictionary<string, int>(comparer) { ["Key"] = 1 };
        var copy = PayloadRoundTrip.Of(dictionary);
        Assert.Equal(comparer, copy.Comparer);
        Assert.Equal(which is 0 or 2, copy.ContainsKey("KEY"));

        var set = PayloadRoundTrip.Of(new HashSet<string>(comparer) { "Key" });
        Assert.Equal(comparer, set.Comparer);
    }

    [Fact]
    public void A_dictionary_nested_in_an_object_keeps_its_comparer()
    {
        var holder = new Holder { Value = new Dictionary<string, object>(StringComparer.OrdinalIgnoreCase) { ["a"] = 1 } };
        var copy = (Dictionary<string, object>)PayloadRoundTrip.Of(holder).Value!;
        Assert.Equal(1, copy["A"]);
    }

    [Theory]
    [InlineData(DateTimeKind.Local)]
    [InlineData(DateTimeKind.Unspecified)]
    [InlineData(DateTimeKind.Utc)]
    public void A_date_time_keeps_its_kind_and_ticks(DateTimeKind kind)
    {
        var value = new DateTime(2026, 12, 6, 7, 8, 9, kind).AddTicks(1234);
        var copy = PayloadRoundTrip.Of(value);
        Assert.Equal(value.Ticks, copy.Ticks);
        Assert.Equal(kind, copy.Kind);

        Assert.Equal(kind, PayloadRoundTrip.Of<DateTime?>(value)!.Value.Kind);
        Assert.Equal(kind, PayloadRoundTrip.Of(new[] { value })[0].Kind);
        Assert.Equal(kind, PayloadRoundTrip.Of(new List<DateTime> { value })[0].Kind);
        Assert.Equal(kind, ((DateTime)PayloadRoundTrip.Of<object>(value)).Kind);
    }

    [Fact]
    public void Other_values_arrive_exactly()
    {
        var offset = new DateTimeOffset(2026, 12, 6, 7, 8, 9, TimeSpan.FromHours(-5)).AddTicks(7);
        Assert.Equal(offset, PayloadRoundTrip.Of(offset));
        Assert.Equal(offset.Offset, PayloadRoundTrip.Of(offset).Offset);
        Assert.Equal(123.456m, PayloadRoundTrip.Of(123.456m));
        Assert.Equal(-0.0, PayloadRoundTrip.Of(-0.0));
        Assert.True(double.IsNegative(PayloadRoundTrip.Of(-0.0)));
        Assert.Equal(double.NaN, PayloadRoundTrip.Of(double.NaN));
        Assert.Equal(TimeSpan.FromTicks(123456789), PayloadRoundTrip.Of(TimeSpan.FromTicks(123456789)));
        Assert.Equal(BigInteger.Pow(3, 200), PayloadRoundTrip.Of(BigInteger.Pow(3, 200)));
        Assert.Equal('é', PayloadRoundTrip.Of('é'));
        Assert.Equal(new DateOnly(2026, 12, 6), PayloadRoundTrip.Of(new DateOnly(2026, 12, 6)));
        Assert.Equal((Half)1.5, PayloadRoundTrip.Of((Half)1.5));
        Assert.Equal(Int128.MaxValue, PayloadRoundTrip.Of(Int128.MaxValue));
        Assert.Equal(new Vector3(1, 2, 3), PayloadRoundTrip.Of(new Vector3(1, 2, 3)));
        Assert.Equal(DayOfWeek.Friday, PayloadRoundTrip.Of(DayOfWeek.Friday));
        Assert.Equal((1, "a", 2.5), PayloadRoundTrip.Of((1, "a", 2.5)));
    }

    [Fact]
    public void A_value_declared_as_object_keeps_its_type()
    {
        Assert.IsType<int>(PayloadRoundTrip.Of<object>(5));
        Assert.IsType<long>(PayloadRoundTrip.Of<object>(5L));
        Assert.IsType<byte>(PayloadRoundTrip.Of<object>((byte)5));
        Assert.IsType<decimal>(PayloadRoundTrip.Of<object>(5m));
        Assert.IsType<Guid>(PayloadRoundTrip.Of<object>(Guid.NewGuid()));
        var list = Assert.IsType<List<string>>(PayloadRoundTrip.Of<object>(new List<string> { "a" }));
        Assert.Equal("a", list[0]);
        var nested = Assert.IsType<Dictionary<string, object>>(PayloadRoundTrip.Of<object>(new Dictionary<string, object> { ["n"] = 1, ["s"] = "x", ["l"] = new List<object> { 2.5, true } }));
        Assert.IsType<int>(nested["n"]);
        Assert.IsType<List<object>>(nested["l"]);
        Assert.IsType<object[]>(PayloadRoundTrip.Of<object>(new object[] { 1, "a" }));
    }

    [Fact]
    public void An_app_type_declared_as_object_travels_when_allowed_and_is_refused_clearly_otherwise()
    {
        var allowed = new HashSet<Type> { typeof(Person) };
        Assert.Equal(new Person("Ann", 3), PayloadRoundTrip.Of<object>(new Person("Ann", 3), allowed));
        Assert.Equal(new Person("Ann", 3), Assert.IsType<List<Person>>(PayloadRoundTrip.Of<object>(new List<Person> { new("Ann", 3) }, allowed))[0]);

        var error = Assert.Throws<PayloadSerializationException>(() => PayloadRoundTrip.Of<object>(new Person("Ann", 3)));
        Assert.Contains("declared as object", error.Message, StringComparison.Ordinal);
        Assert.Contains("AllowedTypes", error.Message, StringComparison.Ordinal);
        Assert.Contains("typeof(Person)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_class_whose_constructor_does_not_match_its_members_travels_field_by_field()
    {
        var copy = PayloadRoundTrip.Of(new Temperature(21.5));
        Assert.Equal(21.5, copy.Celsius);
        Assert.Equal("temp", copy.Label);
    }

    [Fact]
    public void Records_anonymous_types_and_nested_collections_of_app_types_travel()
    {
        Assert.Equal(new Person("Ann", 3), PayloadRoundTrip.Of(new Person("Ann", 3)));
        var anonymous = PayloadRoundTrip.Of(new { A = 1, B = "b" });
        Assert.Equal((1, "b"), (anonymous.A, anonymous.B));
        var people = PayloadRoundTrip.Of(new List<Person[]> { new[] { new Person("a", 1) } });
        Assert.Equal("a", people[0][0].Name);
    }

    [Fact]
    public void Fields_marked_not_shipped_or_non_serialized_stay_behind()
    {
        var copy = PayloadRoundTrip.Of(new WithIgnored { Kept = 7 });
        Assert.Equal(7, copy.Kept);
        Assert.Null(copy.Local);
        Assert.Null(copy.Transient);
    }

    [Fact]
    public void A_subclass_declared_as_its_base_class_is_refused_rather_than_cut_down()
    {
        var error = Assert.Throws<PayloadSerializationException>(() => PayloadRoundTrip.Of<Animal>(new Dog { Name = "Rex" }));
        Assert.Contains("Dog", error.Message, StringComparison.Ordinal);
        Assert.Contains("typeof(Dog)", error.Message, StringComparison.Ordinal);

        var dog = Assert.IsType<Dog>(PayloadRoundTrip.Of<Animal>(new Dog { Name = "Rex" }, new HashSet<Type> { typeof(Dog) }));
        Assert.Equal("Rex", dog.Name);
    }

    [Fact]
    public void A_linked_list_of_thousands_of_nodes_travels_even_from_a_small_stack()
    {
        var copy = PayloadRoundTrip.OnSmallStack(() => PayloadRoundTrip.Of(LinkedNode.Chain(20_000)));
        Assert.Equal(20_000, copy.Length());
    }

    [Fact]
    public void A_real_cycle_is_refused_as_a_cycle()
    {
        var head = LinkedNode.Chain(3);
        head.Next!.Next!.Next = head;
        var error = Assert.Throws<PayloadSerializationException>(() => PayloadRoundTrip.Of(head));
        Assert.Contains("refer back to itself", error.Message, StringComparison.Ordinal);
        Assert.Contains("cycle", error.Message, StringComparison.Ordinal);

        var list = new List<object>();
        list.Add(list);
        Assert.Contains("cycle", Assert.Throws<PayloadSerializationException>(() => PayloadRoundTrip.Of<object>(list)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_framework_object_inside_a_value_gets_advice_that_works()
    {
        var random = Assert.Throws<PayloadSerializationException>(() => PayloadRoundTrip.Of(new Simulation()));
        Assert.Contains("System.Random", random.Message, StringComparison.Ordinal);
        Assert.Contains("property 'Rng' of Simulation", random.Message, StringComparison.Ordinal);
        Assert.Contains("seed", random.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("AllowedTypes", random.Message, StringComparison.Ordinal);

        var regex = Assert.Throws<PayloadSerializationException>(() => PayloadRoundTrip.Of(new Matcher()));
        Assert.Contains("pattern", regex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("AllowedTypes", regex.Message, StringComparison.Ordinal);

        var stream = Assert.Throws<PayloadSerializationException>(() => PayloadRoundTrip.Of(new Holder { Value = new MemoryStream() }));
        Assert.Contains("MemoryStream", stream.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("AllowedTypes", stream.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Collections_behind_interfaces_and_exceptions_as_values_travel()
    {
        var numbers = PayloadRoundTrip.Of<IEnumerable<int>>(new HashSet<int> { 1, 2, 3 });
        Assert.Equal([1, 2, 3], numbers.Order());
        Assert.Equal(["a", "b"], PayloadRoundTrip.Of(new Queue<string>(["a", "b"])));
        Assert.Equal(2, PayloadRoundTrip.Of<IReadOnlyDictionary<string, int>>(new Dictionary<string, int> { ["k"] = 2 })["k"]);

        var error = Assert.IsType<ArgumentException>(PayloadRoundTrip.Of<Exception>(new ArgumentException("bad", "p")));
        Assert.Equal("p", error.ParamName);
        Assert.Equal(new ArgumentException("bad", "p").Message, error.Message);
    }

    [Fact]
    public void Shared_references_arrive_as_copies()
    {
        var shared = new Person("Ann", 3);
        var copy = PayloadRoundTrip.Of(new[] { shared, shared });
        Assert.Equal(copy[0], copy[1]);
        Assert.NotSame(copy[0], copy[1]);
    }

    [Fact]
    public void A_struct_of_plain_data_arrives_whole_including_inline_arrays()
    {
        var sample = new Sample { Weight = 2.5 };
        for (int i = 0; i < 8; i++)
        {
            sample[i] = i * 10;
        }

        var copy = PayloadRoundTrip.Of(sample);
        Assert.Equal(2.5, copy.Weight);
        Assert.Equal(70, copy[7]);
        Assert.Equal(new GridPoint(3, 4), PayloadRoundTrip.Of(new GridPoint(3, 4)));
        Assert.Equal(new GridPoint(3, 4), PayloadRoundTrip.Of<GridPoint?>(new GridPoint(3, 4)));
    }

    [Fact]
    public void A_record_parameter_marked_not_shipped_stays_behind()
    {
        var copy = PayloadRoundTrip.Of(new Credentials("ann", "hunter2"));
        Assert.Equal("ann", copy.User);
        Assert.Null(copy.Secret);
    }

    [Fact]
    public async Task An_exception_that_refers_to_itself_is_captured_at_once_without_the_loop()
    {
        var failure = new LoopingException("looping");
        failure.Cause = failure;
        failure.Root = failure;
        var capture = await Task.Run(() => ProcessPool.Serialization.ExceptionState.Capture(failure, ProcessPool.Serialization.PayloadContext.ProcessWide)).WaitAsync(TimeSpan.FromSeconds(30));
        var rebuilt = Assert.IsType<LoopingException>(ProcessPool.Serialization.ExceptionState.Rebuild(capture, ProcessPool.Serialization.PayloadContext.ProcessWide));
        Assert.Equal("looping", rebuilt.Message);
        Assert.Null(rebuilt.Cause);
    }

    [Fact]
    public void An_inline_array_of_references_arrives_whole()
    {
        var names = new HasNames { [0] = "a", [1] = "b", [2] = "c" };
        var copy = PayloadRoundTrip.Of(names);
        Assert.Equal(("a", "b", "c"), (copy[0], copy[1], copy[2]));
    }

    [Fact]
    public void An_app_collection_with_state_of_its_own_is_refused_rather_than_cut_to_its_elements()
    {
        var error = Assert.Throws<PayloadSerializationException>(() => PayloadRoundTrip.Of(new Basket { 1, 2 }));
        Assert.Contains("Owner", error.Message, StringComparison.Ordinal);
        Assert.Equal([1, 2], PayloadRoundTrip.Of(new PlainBasket { 1, 2 }));
    }

    [Fact]
    public void A_dictionary_or_set_declared_as_an_interface_keeps_its_comparer_and_type()
    {
        IDictionary<string, int> dictionary = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase) { ["Key"] = 1 };
        Assert.True(PayloadRoundTrip.Of(dictionary).ContainsKey("KEY"));
        IReadOnlyDictionary<string, int> readOnly = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase) { ["Key"] = 1 };
        Assert.True(PayloadRoundTrip.Of(readOnly).ContainsKey("KEY"));
        ISet<string> set = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "Key" };
        Assert.Contains("KEY", PayloadRoundTrip.Of(set));
        Assert.IsType<HashSet<int>>(PayloadRoundTrip.Of<IEnumerable<int>>(new HashSet<int> { 1 }));
    }

    [Fact]
    public void Framework_enums_and_immutable_collections_declared_as_object_keep_their_type()
    {
        Assert.Equal(DayOfWeek.Friday, PayloadRoundTrip.Of<object>(DayOfWeek.Friday));
        var immutable = Assert.IsType<System.Collections.Immutable.ImmutableArray<int>>(PayloadRoundTrip.Of<object>(System.Collections.Immutable.ImmutableArray.Create(1, 2)));
        Assert.Equal([1, 2], immutable.ToArray());
    }

    [Fact]
    public async Task A_long_chain_of_values_declared_as_a_base_class_is_written_in_linear_time()
    {
        var allowed = new HashSet<Type> { typeof(ChainLink), typeof(ChainEnd) };
        ChainItem head = new ChainEnd();
        for (int i = 0; i < 20_000; i++)
        {
            head = new ChainLink { Next = head };
        }

        var copy = await Task.Run(() => PayloadRoundTrip.Of(head, allowed)).WaitAsync(TimeSpan.FromSeconds(30)); // quadratic took minutes
        int length = 0;
        for (var item = copy; item is ChainLink link; item = link.Next!)
        {
            length++;
        }

        Assert.Equal(20_000, length);
    }
}
