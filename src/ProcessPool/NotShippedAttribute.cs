namespace ProcessPool;

/// <summary>
/// Marks state that never travels to a worker: a field, an auto-property (its backing field) or a
/// primary-constructor parameter. In the worker it holds its type's default value.
/// </summary>
/// <remarks>
/// ProcessPool ships only the fields of <c>this</c> that a submitted lambda or method can reach, found by
/// reading its IL. Where that analysis cannot decide (<c>this</c> is handed to code it does not follow,
/// such as a virtual call into a framework base class), every field travels; mark the dependencies that
/// belong to the parent process (a logger, an HTTP client, the pool itself) so they stay behind.
/// Arguments and results honour the attribute too, as they honour <see cref="NonSerializedAttribute"/>.
/// </remarks>
[AttributeUsage(AttributeTargets.Field | AttributeTargets.Property | AttributeTargets.Parameter, Inherited = false)]
public sealed class NotShippedAttribute : Attribute
{
}
