using System.Collections.Concurrent;
using System.Reflection;
using System.Reflection.Emit;
using System.Runtime.CompilerServices;

namespace ProcessPool.Serialization;

/// <summary>
/// Which fields of <c>this</c> a submitted function can reach, so that only those travel (as Spark's
/// ClosureCleaner does for Scala closures). Starting from the function, it follows the IL: the methods
/// of <c>this</c>'s class it calls on <c>this</c> (virtual calls resolved against the run-time type),
/// lambdas, local functions and async or iterator state machines, and records every field of the class
/// read or written through <c>this</c>, with the chain of methods that reached it (for error messages).
/// It tracks where <c>this</c> goes with a small abstract stack; when <c>this</c> escapes to code it
/// cannot follow (passed as an argument, stored, returned, a call into a framework base class), it gives
/// up (<see cref="Decided"/> is false, <see cref="Undecided"/> says why) and every field travels, as
/// before. Parent and worker run the same analysis over the same build, so they agree on the fields.
/// </summary>
internal sealed class ThisReach
{
    private static readonly ConcurrentDictionary<(Type, MethodInfo, FieldInfo?), ThisReach> s_cache = new();
    private readonly Type _this;
    private readonly FieldInfo? _holder;
    private readonly Dictionary<(Module, int), string> _fields = [];
    private readonly HashSet<(MethodBase, bool)> _visited = [];
    private readonly Queue<(MethodBase Method, bool ReceiverIsThis, string Path)> _pending = new();

    private ThisReach(Type thisType, FieldInfo? holder)
    {
        _this = thisType;
        _holder = holder;
    }

    /// <summary>Why the analysis could not decide, or null when it did.</summary>
    public string? Undecided { get; private set; }

    public bool Decided => Undecided is null;

    /// <summary>
    /// The reach of <paramref name="entry"/> into an object of run-time type <paramref name="thisType"/>:
    /// the entry's own receiver when <paramref name="holder"/> is null (a method of the object, or a lambda
    /// that captured only <c>this</c>); otherwise the object a closure's lambda loads from the closure
    /// field <paramref name="holder"/> (its captured <c>this</c>, or a captured local of the app's type).
    /// </summary>
    public static ThisReach Of(Type thisType, MethodInfo entry, FieldInfo? holder) =>
        s_cache.GetOrAdd((thisType, entry, holder), static key =>
        {
            var reach = new ThisReach(key.Item1, key.Item3);
            reach.Run(key.Item2, entryOnThis: key.Item3 is null);
            return reach;
        });

    /// <summary>Whether <paramref name="field"/> is reached; when it is, <paramref name="path"/> names the methods that reach it.</summary>
    public bool Reaches(FieldInfo field, out string path) => _fields.TryGetValue((field.Module, field.MetadataToken), out path!);

    /// <summary>A method as a user would name it: "the lambda in Svc.Run", "Svc.Helper".</summary>
    public static string Describe(MethodBase method)
    {
        var type = method.DeclaringType;
        if (method.Name == "MoveNext" && type is { Name: ['<', ..] } && type.DeclaringType is { } owner)
        {
            return $"{FieldNames.Friendly(owner)}.{Between(type.Name)}";
        }

        while (type is not null && FieldLayout.IsCompilerGenerated(type) && type.DeclaringType is { } outer)
        {
            type = outer;
        }

        string typeName = type is null ? "" : FieldNames.Friendly(type) + ".";
        return method.Name switch
        {
            ['<', ..] when method.Name.Contains(">b__", StringComparison.Ordinal) => $"the lambda in {typeName}{Between(method.Name)}",
            ['<', ..] when method.Name.Contains(">g__", StringComparison.Ordinal) => $"local function {LocalName(method.Name)} in {typeName}{Between(method.Name)}",
            _ => typeName + method.Name,
        };

        static string Between(string name) => name[1..Math.Max(1, name.IndexOf('>', StringComparison.Ordinal))];

        static string LocalName(string name)
        {
            int start = name.IndexOf(">g__", StringComparison.Ordinal) + 4;
            int end = name.IndexOf('|', start);
            return end > start ? name[start..end] : name[start..];
        }
    }

    private void Run(MethodInfo entry, bool entryOnThis)
    {
        _pending.Enqueue((entry, entryOnThis, Describe(entry)));
        try
        {
            while (Undecided is null && _pending.TryDequeue(out var next))
            {
                if (_visited.Add((next.Method, next.ReceiverIsThis)))
                {
                    Scan(next.Method, next.ReceiverIsThis, next.Path);
                }
            }
        }
        catch (Exception e)
        {
            // Whatever the IL holds, the answer is never wrong: undecided ships every field.
            Undecided = $"its IL could not be followed ({e.GetType().Name}: {e.Message})";
        }
    }

    private void GiveUp(string why, MethodBase where) => Undecided ??= $"{why} in {Describe(where)}";

    private void Scan(MethodBase method, bool receiverIsThis, string path)
    {
        var body = method.GetMethodBody();
        byte[]? il = body?.GetILAsByteArray();
        if (body is null || il is null)
        {
            GiveUp($"{Describe(method)} has no IL to read", method);
            return;
        }

        // An async or iterator method only builds its state machine; the code is in MoveNext.
        if (method.GetCustomAttribute<StateMachineAttribute>() is { } stateMachine)
        {
            var machine = stateMachine.StateMachineType;
            if (machine.IsGenericTypeDefinition)
            {
                var arguments = (method.DeclaringType?.GetGenericArguments() ?? []).Concat(method.IsGenericMethod ? method.GetGenericArguments() : []).ToArray();
                machine = arguments.Length == machine.GetGenericArguments().Length ? machine.MakeGenericType(arguments) : machine;
            }

            if (machine.ContainsGenericParameters || machine.GetMethod("MoveNext", BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic) is not { } moveNext)
            {
                GiveUp("the state machine of a generic async method cannot be followed", method);
                return;
            }

            _pending.Enqueue((moveNext, false, path));
        }

        var module = method.Module;
        Type[]? typeArguments = method.DeclaringType is { IsGenericType: true } t ? t.GetGenericArguments() : null;
        Type[]? methodArguments = method.IsGenericMethod ? method.GetGenericArguments() : null;
        var handlers = body.ExceptionHandlingClauses.ToDictionary(
            c => c.HandlerOffset,
            c => c.Flags is ExceptionHandlingClauseOptions.Clause or ExceptionHandlingClauseOptions.Filter);
        foreach (var filter in body.ExceptionHandlingClauses.Where(c => c.Flags == ExceptionHandlingClauseOptions.Filter))
        {
            handlers[filter.FilterOffset] = true;
        }

        var atTargets = new Dictionary<int, List<Value>>();
        List<Value>? stack = [];
        bool instance = !method.IsStatic;
        bool returnsValue = method is MethodInfo { ReturnType: var r } && r != typeof(void);
        foreach (var instruction in IlInstructions.Of(il))
        {
            if (atTargets.TryGetValue(instruction.Offset, out var recorded))
            {
                if (stack is not null && stack.Count != recorded.Count)
                {
                    GiveUp("its IL merges stacks of different heights", method);
                    return;
                }

                stack = stack is null ? [.. recorded] : [.. stack.Zip(recorded, (a, b) => a.Kind == Kind.This || b.Kind == Kind.This ? Value.This : a)];
            }
            else if (handlers.TryGetValue(instruction.Offset, out bool pushesException))
            {
                stack = pushesException ? [Value.Other] : [];
            }

            stack ??= [];
            if (!Step(instruction, il, stack, method, module, typeArguments, methodArguments, instance, receiverIsThis, returnsValue, path))
            {
                return;
            }

            var flow = instruction.Code.FlowControl;
            foreach (int target in instruction.Targets(il))
            {
                var state = instruction.Code == OpCodes.Leave || instruction.Code == OpCodes.Leave_S ? [] : new List<Value>(stack);
                if (target > instruction.Offset && !atTargets.TryAdd(target, state) && atTargets[target].Count != state.Count)
                {
                    GiveUp("its IL branches with stacks of different heights", method);
                    return;
                }
            }

            if (flow is FlowControl.Branch or FlowControl.Return or FlowControl.Throw || instruction.Code == OpCodes.Endfinally || instruction.Code == OpCodes.Leave || instruction.Code == OpCodes.Leave_S)
            {
                stack = null; // what follows is reached only by a branch, or starts a handler
            }
        }
    }

    private bool Step(
        IlInstructions.Instruction instruction, byte[] il, List<Value> stack, MethodBase method, Module module,
        Type[]? typeArguments, Type[]? methodArguments, bool instance, bool receiverIsThis, bool returnsValue, string path)
    {
        var code = instruction.Code;
        int argument = instruction.ArgumentIndex(il);
        bool thisArgument = instance && receiverIsThis && argument == 0;
        if (argument >= 0 && (code == OpCodes.Ldarg_0 || code == OpCodes.Ldarg_S || code == OpCodes.Ldarg))
        {
            stack.Add(thisArgument ? Value.This : Value.Other);
            return true;
        }

        if (thisArgument)
        {
            GiveUp("`this` is stored or taken by reference", method); // ldarga 0, starg 0
            return false;
        }

        switch (code.OperandType)
        {
            case OperandType.InlineField:
                return Field(code, module.ResolveField(instruction.Int32Operand(il), typeArguments, methodArguments)!, stack, method, path);
            case OperandType.InlineMethod:
                var callee = module.ResolveMethod(instruction.Int32Operand(il), typeArguments, methodArguments)!;
                return Method(code, callee, stack, method, module, path);
            case OperandType.InlineSig:
                GiveUp("an indirect call (calli) cannot be followed", method);
                return false;
        }

        if (code == OpCodes.Dup)
        {
            stack.Add(stack[^1]);
            return true;
        }

        if (code == OpCodes.Ret)
        {
            if (returnsValue && Pop(stack).Kind == Kind.This)
            {
                GiveUp("`this` is returned", method);
                return false;
            }

            return true;
        }

        if (code == OpCodes.Jmp)
        {
            GiveUp("a jmp instruction cannot be followed", method);
            return false;
        }

        for (int i = Pops(code.StackBehaviourPop); i > 0; i--)
        {
            if (Pop(stack).Kind == Kind.This)
            {
                GiveUp($"`this` is used by {code.Name}", method);
                return false;
            }
        }

        for (int i = Pushes(code.StackBehaviourPush); i > 0; i--)
        {
            stack.Add(Value.Other);
        }

        return true;
    }

    private bool Field(OpCode code, FieldInfo field, List<Value> stack, MethodBase method, string path)
    {
        bool isStatic = code == OpCodes.Ldsfld || code == OpCodes.Ldsflda || code == OpCodes.Stsfld;
        var value = code == OpCodes.Stfld || code == OpCodes.Stsfld ? Pop(stack) : Value.Other;
        var owner = isStatic ? Value.Other : Pop(stack);
        if (owner.Kind == Kind.This)
        {
            _fields.TryAdd((field.Module, field.MetadataToken), path);
        }

        if (value.Kind == Kind.This && !IsCapturedThis(field) && !IsHolder(field))
        {
            GiveUp($"`this` is stored in {FieldNames.Describe(field, field.DeclaringType!)}", method);
            return false;
        }

        if (code == OpCodes.Ldfld || code == OpCodes.Ldsfld || code == OpCodes.Ldflda || code == OpCodes.Ldsflda)
        {
            stack.Add(code == OpCodes.Ldfld && (IsHolder(field) || IsCapturedThis(field)) ? Value.This : Value.Other);
        }

        return true;
    }

    private bool Method(OpCode code, MethodBase callee, List<Value> stack, MethodBase method, Module module, string path)
    {
        if (code == OpCodes.Ldftn)
        {
            FollowGenerated(callee, module, path);
            stack.Add(Value.Function(callee));
            return true;
        }

        if (code == OpCodes.Ldvirtftn)
        {
            var receiver = Pop(stack);
            var resolved = receiver.Kind == Kind.This ? Resolve(callee) : callee;
            if (resolved is null)
            {
                GiveUp($"{Describe(callee)} is taken on `this` and cannot be resolved", method);
                return false;
            }

            stack.Add(Value.Function(resolved));
            return true;
        }

        bool constructs = code == OpCodes.Newobj;
        int count = callee.GetParameters().Length + (!constructs && !callee.IsStatic ? 1 : 0);
        var arguments = new Value[count];
        for (int i = count - 1; i >= 0; i--)
        {
            arguments[i] = Pop(stack);
        }

        if (constructs && typeof(Delegate).IsAssignableFrom(callee.DeclaringType) && arguments is [var target, { Kind: Kind.Function } function])
        {
            // new Func<...>(target, &method): a lambda or method group over `this` runs with `this` as receiver.
            if (target.Kind == Kind.This && function.Method is { } bound)
            {
                Follow(bound, virtualCall: false, method, path); // ldftn names the method exactly; ldvirtftn was resolved already
            }

            stack.Add(Value.Other);
            return Undecided is null;
        }

        int first = !constructs && !callee.IsStatic ? 1 : 0;
        if (arguments.Skip(first).Any(a => a.Kind == Kind.This))
        {
            GiveUp($"`this` is passed to {Describe(callee)}", method);
            return false;
        }

        if (first == 1 && arguments[0].Kind == Kind.This)
        {
            Follow(callee, virtualCall: code == OpCodes.Callvirt, method, path); // `call` is exact: base.M() runs the base method
        }
        else
        {
            FollowGenerated(callee, module, path);
        }

        if (constructs || (callee is MethodInfo info && info.ReturnType != typeof(void)))
        {
            stack.Add(Value.Other);
        }

        return Undecided is null;
    }

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

    private static Value Pop(List<Value> stack)
    {
        if (stack.Count == 0)
        {
            return Value.Other; // the analysis lost track (a handler or a branch it did not model): nothing to say of `this`
        }

        var top = stack[^1];
        stack.RemoveAt(stack.Count - 1);
        return top;
    }

    private static int Pops(StackBehaviour behaviour) => behaviour switch
    {
        StackBehaviour.Pop0 or StackBehaviour.Varpop => 0,
        StackBehaviour.Pop1 or StackBehaviour.Popi or StackBehaviour.Popref => 1,
        StackBehaviour.Pop1_pop1 or StackBehaviour.Popi_pop1 or StackBehaviour.Popi_popi or StackBehaviour.Popi_popi8
            or StackBehaviour.Popi_popr4 or StackBehaviour.Popi_popr8 or StackBehaviour.Popref_pop1 or StackBehaviour.Popref_popi => 2,
        _ => 3,
    };

    private static int Pushes(StackBehaviour behaviour) => behaviour switch
    {
        StackBehaviour.Push0 or StackBehaviour.Varpush => 0,
        StackBehaviour.Push1_push1 => 2,
        _ => 1,
    };

    private enum Kind : byte
    {
        Other,
        This,
        Function,
    }

    private readonly record struct Value(Kind Kind, MethodBase? Method)
    {
        public static readonly Value Other = new(Kind.Other, null);
        public static readonly Value This = new(Kind.This, null);

        public static Value Function(MethodBase method) => new(Kind.Function, method);
    }
}
