using MessagePack;

namespace ProcessPool.Serialization;

/// <summary>
/// The options every payload formatter receives, carrying the pool's <see cref="PayloadContext"/> and,
/// when writing, the state of that one write (<see cref="PayloadWrite"/>). Formatters read both from
/// the <c>options</c> argument MessagePack passes them (<see cref="Of"/>), so nothing travels in
/// thread-static or async-local state, and a value finished on another thread (<see cref="DeepStack"/>)
/// carries everything along.
/// </summary>
internal sealed class PayloadOptions : MessagePackSerializerOptions
{
    // Parent and worker authenticate each other (private socket, token), so the data is not hostile:
    // hash-flooding resistance would only refuse keys without a secure hash (tuples, records, structs).
    // The depth limit stays, at what GraphGuard lets a writer produce.
    private static readonly MessagePackSecurity s_security =
        MessagePackSecurity.UntrustedData.WithHashCollisionResistant(false).WithMaximumObjectGraphDepth(GraphGuard<object>.MaxDepth + 64);

    // Built without touching MessagePackSerializerOptions.Standard, whose initialisation is slow.
    private PayloadOptions(PayloadContext context)
        : base(PayloadResolver.Instance)
    {
        Context = context;
    }

    private PayloadOptions(PayloadOptions copyFrom, PayloadWrite? write)
        : base(copyFrom)
    {
        Context = copyFrom.Context;
        Write = write;
    }

    public PayloadContext Context { get; }

    /// <summary>The state of the write these options are for; null in options meant for reading.</summary>
    public PayloadWrite? Write { get; }

    /// <summary>The pool's shared reading options (see <see cref="PayloadContext.Reading"/>).</summary>
    public static PayloadOptions Create(PayloadContext context) => (PayloadOptions)new PayloadOptions(context).WithSecurity(s_security);

    /// <summary>The payload options a formatter was given: only ours reach our formatters.</summary>
    public static PayloadOptions Of(MessagePackSerializerOptions options) =>
        options as PayloadOptions ?? throw new InvalidOperationException("Payload formatters need PayloadOptions (see PayloadContext).");

    /// <summary>The state of this write; throws when these options are the shared ones for reading.</summary>
    public PayloadWrite Writing => Write ?? throw new InvalidOperationException("Writing a payload needs options of its own (PayloadContext.BeginWrite), not the shared reading options.");

    /// <summary>These options with <paramref name="write"/>'s state: one small object per write, not per value.</summary>
    public PayloadOptions ForWrite(PayloadWrite write) => new(this, write);

    protected override MessagePackSerializerOptions Clone() => new PayloadOptions(this, Write);
}
