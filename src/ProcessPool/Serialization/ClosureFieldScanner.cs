using System.Reflection;
using System.Reflection.Emit;

namespace ProcessPool.Serialization;

/// <summary>
/// Finds the closure fields a lambda really reads, by scanning its IL (and that of the lambdas and local
/// functions it calls on compiler-generated types) for field operands. This defuses the C# trap where all
/// lambdas of one scope share one closure object: only the variables the submitted lambda uses travel,
/// so a stream or a task captured by a neighbouring lambda does not break the call. Parent and worker run
/// the same scan over the same assembly and agree on the fields. When the IL cannot be read the answer is
/// <see langword="null"/>: ship every field.
/// </summary>
internal static class ClosureFieldScanner
{
    /// <summary>The metadata tokens of the fields <paramref name="method"/> reads, or null if unknown.</summary>
    public static IReadOnlySet<int>? UsedFieldTokens(MethodInfo method)
    {
        var tokens = new HashSet<int>();
        var visited = new HashSet<MethodBase>();
        try
        {
            return Scan(method, tokens, visited) ? tokens : null;
        }
        catch (Exception e) when (e is ArgumentException or BadImageFormatException or InvalidOperationException or NotSupportedException or MemberAccessException or TypeLoadException)
        {
            return null;
        }
    }

    private static bool Scan(MethodBase method, HashSet<int> tokens, HashSet<MethodBase> visited)
    {
        if (!visited.Add(method))
        {
            return true;
        }

        byte[]? il = method.GetMethodBody()?.GetILAsByteArray();
        if (il is null)
        {
            return false;
        }

        // An async or iterator lambda only builds its state machine; the code that reads the closure
        // is the state machine's MoveNext.
        if (method.GetCustomAttribute<System.Runtime.CompilerServices.StateMachineAttribute>() is { } stateMachine)
        {
            var moveNext = stateMachine.StateMachineType.IsGenericTypeDefinition
                ? null
                : stateMachine.StateMachineType.GetMethod("MoveNext", BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic);
            if (moveNext is null || !Scan(moveNext, tokens, visited))
            {
                return false;
            }
        }

        var module = method.Module;
        Type[]? typeArguments = method.DeclaringType is { IsGenericType: true } t ? t.GetGenericArguments() : null;
        Type[]? methodArguments = method.IsGenericMethod ? method.GetGenericArguments() : null;
        foreach (var instruction in IlInstructions.Of(il))
        {
            switch (instruction.Code.OperandType)
            {
                case OperandType.InlineField:
                    tokens.Add(module.ResolveField(instruction.Int32Operand(il), typeArguments, methodArguments)!.MetadataToken);
                    break;
                case OperandType.InlineMethod:
                    var callee = module.ResolveMethod(instruction.Int32Operand(il), typeArguments, methodArguments);
                    if (callee?.DeclaringType is { } owner && owner.Module == module && FieldLayout.IsCompilerGenerated(owner) && !Scan(callee, tokens, visited))
                    {
                        return false;
                    }

                    break;
            }
        }

        return true;
    }
}
