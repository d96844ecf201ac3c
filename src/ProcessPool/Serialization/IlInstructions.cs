using System.Reflection;
using System.Reflection.Emit;

namespace ProcessPool.Serialization;

/// <summary>Decodes a method body's IL into instructions: offset, opcode, and where the operand sits.</summary>
internal static class IlInstructions
{
    private static readonly OpCode[] s_oneByte = new OpCode[0x100];
    private static readonly OpCode[] s_twoByte = new OpCode[0x100];

#pragma warning disable CA1810 // the opcode tables are built once, from OpCodes' own fields
    static IlInstructions()
#pragma warning restore CA1810
    {
        foreach (var field in typeof(OpCodes).GetFields(BindingFlags.Public | BindingFlags.Static))
        {
            if (field.GetValue(null) is OpCode code)
            {
                ushort value = (ushort)code.Value;
                if (value < 0x100)
                {
                    s_oneByte[value] = code;
                }
                else if ((value & 0xff00) == 0xfe00)
                {
                    s_twoByte[value & 0xff] = code;
                }
            }
        }
    }

    public static IEnumerable<Instruction> Of(byte[] il)
    {
        int position = 0;
        while (position < il.Length)
        {
            int offset = position;
            var code = il[position] == 0xfe ? s_twoByte[il[++position]] : s_oneByte[il[position]];
            position++;
            int size = OperandSize(code.OperandType, il, position);
            yield return new Instruction(offset, code, position, position + size);
            position += size;
        }
    }

    private static int OperandSize(OperandType type, byte[] il, int position) => type switch
    {
        OperandType.InlineNone => 0,
        OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
        OperandType.InlineVar => 2,
        OperandType.InlineI8 or OperandType.InlineR => 8,
        OperandType.InlineSwitch => 4 + (4 * BitConverter.ToInt32(il, position)),
        _ => 4,
    };

    /// <summary>One instruction: its offset, opcode, operand start and the offset of the next instruction.</summary>
    public readonly record struct Instruction(int Offset, OpCode Code, int OperandAt, int Next)
    {
        public int Int32Operand(byte[] il) => BitConverter.ToInt32(il, OperandAt);

        /// <summary>For ldarg/ldarga/starg in all their forms, the argument index; otherwise -1.</summary>
        public int ArgumentIndex(byte[] il)
        {
            short value = Code.Value;
            return value == OpCodes.Ldarg_0.Value ? 0
                : value == OpCodes.Ldarg_1.Value ? 1
                : value == OpCodes.Ldarg_2.Value ? 2
                : value == OpCodes.Ldarg_3.Value ? 3
                : value == OpCodes.Ldarg_S.Value || value == OpCodes.Ldarga_S.Value || value == OpCodes.Starg_S.Value ? il[OperandAt]
                : value == OpCodes.Ldarg.Value || value == OpCodes.Ldarga.Value || value == OpCodes.Starg.Value ? BitConverter.ToUInt16(il, OperandAt)
                : -1;
        }

        /// <summary>The branch targets of a branch or switch instruction.</summary>
        public IEnumerable<int> Targets(byte[] il)
        {
            switch (Code.OperandType)
            {
                case OperandType.ShortInlineBrTarget:
                    yield return Next + (sbyte)il[OperandAt];
                    break;
                case OperandType.InlineBrTarget:
                    yield return Next + BitConverter.ToInt32(il, OperandAt);
                    break;
                case OperandType.InlineSwitch:
                    int count = BitConverter.ToInt32(il, OperandAt);
                    for (int i = 0; i < count; i++)
                    {
                        yield return Next + BitConverter.ToInt32(il, OperandAt + 4 + (4 * i));
                    }

                    break;
            }
        }
    }
}
