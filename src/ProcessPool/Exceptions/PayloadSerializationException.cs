namespace ProcessPool;

/// <summary>
/// A function's captured state, an argument or a result cannot be serialized for the trip to or
/// from a worker process. Thrown synchronously by the Submit or Map call, before anything is sent.
/// </summary>
public sealed class PayloadSerializationException : ProcessPoolException
{
    /// <summary>Creates the exception.</summary>
    public PayloadSerializationException(string memberDescription, Type memberType, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        MemberDescription = memberDescription;
        MemberType = memberType;
    }

    /// <summary>What could not be serialized, for example <c>captured variable 'stream'</c> or <c>argument 1</c>.</summary>
    public string MemberDescription { get; }

    /// <summary>The type of the value that could not be serialized.</summary>
    public Type MemberType { get; }
}
