using System.Reflection;

namespace ProcessPool.Serialization;

// Where a call on `this` goes: the override the run-time type runs, and whether it is the app's code to follow.
internal sealed partial class ThisReach
{
    // A call on `this`: a virtual one resolved against the run-time type, then followed with `this` as its receiver.
    private void Follow(MethodBase callee, bool virtualCall, MethodBase caller, string path)
    {
        var target = virtualCall ? Resolve(callee) : callee;
        if (target is null)
        {
            GiveUp($"{Describe(callee)} is called on `this` and cannot be followed", caller);
            return;
        }

        if (target.DeclaringType == typeof(object))
        {
            if (target.Name is not (nameof(GetType) or nameof(GetHashCode) or nameof(Equals) or nameof(ToString)))
            {
                GiveUp($"`this` is passed to object.{target.Name}", caller);
            }

            return; // object's own methods read no fields
        }

        if (!InHierarchy(target.DeclaringType) || FrameworkTypes.IsFramework(target.DeclaringType!))
        {
            GiveUp($"{Describe(target)} is called on `this` and is not the app's own code", caller);
            return;
        }

        _pending.Enqueue((target, true, $"{path} → {Describe(target)}"));
    }

    // Lambdas, local functions and closures' methods of the same module: they may reach `this` through a closure.
    private void FollowGenerated(MethodBase callee, Module module, string path)
    {
        if (callee.DeclaringType is { } owner && owner.Module == module && FieldLayout.IsCompilerGenerated(owner))
        {
            _pending.Enqueue((callee, false, $"{path} → {Describe(callee)}"));
        }
    }

    /// <summary>The method a call on <c>this</c> runs, for an object of the run-time type; null if unknown.</summary>
    private MethodBase? Resolve(MethodBase callee)
    {
        if (callee is not MethodInfo method || !method.IsVirtual || method.IsFinal && !(method.DeclaringType?.IsInterface ?? false))
        {
            return callee;
        }

        if (method.DeclaringType!.IsInterface)
        {
            if (!method.DeclaringType.IsAssignableFrom(_this))
            {
                return null;
            }

            var map = _this.GetInterfaceMap(method.DeclaringType);
            int index = Array.FindIndex(map.InterfaceMethods, m => m.MetadataToken == method.MetadataToken && m.Module == method.Module);
            var implementation = index < 0 ? null : map.TargetMethods[index];
            return implementation is not null && method.IsGenericMethod ? implementation.MakeGenericMethod(method.GetGenericArguments()) : implementation;
        }

        var slot = method.GetBaseDefinition();
        var parameters = method.GetParameters().Select(p => p.ParameterType).ToArray();
        for (var type = _this; type is not null; type = type.BaseType)
        {
            foreach (var candidate in type.GetMethods(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            {
                if (candidate.Name != method.Name || !candidate.IsVirtual)
                {
                    continue;
                }

                var candidateSlot = candidate.GetBaseDefinition();
                if (candidateSlot.MetadataToken == slot.MetadataToken && candidateSlot.Module == slot.Module)
                {
                    return candidate.IsGenericMethodDefinition ? candidate.MakeGenericMethod(method.GetGenericArguments()) : candidate;
                }

                // An override the slot does not reveal (a covariant return is a new slot with a method
                // impl, or `new virtual` hides): which one runs is not certain, so do not guess.
                if (type != method.DeclaringType && candidate.GetParameters().Select(p => p.ParameterType).SequenceEqual(parameters))
                {
                    return null;
                }
            }
        }

        return null;
    }

    private bool InHierarchy(Type? type)
    {
        for (var t = _this; t is not null; t = t.BaseType)
        {
            if (t == type)
            {
                return true;
            }
        }

        return false;
    }

    private bool IsHolder(FieldInfo field) => _holder is not null && field.MetadataToken == _holder.MetadataToken && field.Module == _holder.Module;

    // The compiler's field for a captured `this`: "<>4__this" in closures and state machines.
    private bool IsCapturedThis(FieldInfo field) =>
        field.Name.EndsWith("__this", StringComparison.Ordinal) && field.DeclaringType is { } owner && FieldLayout.IsCompilerGenerated(owner)
        && field.FieldType.IsAssignableFrom(_this);
}
