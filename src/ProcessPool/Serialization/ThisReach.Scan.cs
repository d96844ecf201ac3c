using System.Reflection;
using System.Reflection.Emit;
using System.Runtime.CompilerServices;

namespace ProcessPool.Serialization;

// The abstract interpretation of one method body: a stack of values that are `this`, a function
// pointer, or anything else, stepped instruction by instruction.
internal sealed partial class ThisReach
{
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
