using System.Buffers.Binary;
using System.Text;

namespace Nio.Fuzz.Engine;

/// <summary>
/// Stacked random edits of one input, in the manner of AFL's havoc stage: bit flips, interesting values, arithmetic on
/// big- and little-endian integers (length fields), block deletion, duplication and overwrite, dictionary tokens,
/// decimal numbers for text formats, and splices from other inputs of the corpus.
/// </summary>
public sealed class Mutator(Random random, IReadOnlyList<byte[]> dictionary, int maxLength)
{
    private static readonly sbyte[] Interesting8 = [-128, -1, 0, 1, 16, 32, 64, 100, 127];
    private static readonly short[] Interesting16 = [-32768, -129, 128, 255, 256, 512, 1000, 1024, 4096, 32767];
    private static readonly int[] Interesting32 = [int.MinValue, -100663046, -32769, 32768, 65535, 65536, 100663045, 0xFFFFFF, 0x1000000, int.MaxValue];

    private static readonly string[] InterestingNumbers =
    [
        "0", "1", "-1", "2", "3", "255", "256", "65535", "65536", "2147483647", "2147483648", "4294967295", "4294967296",
        "9223372036854775807", "9223372036854775808", "-9223372036854775808", "18446744073709551615", "1e308", "0.5", "00",
    ];

    private readonly byte[] buffer = new byte[maxLength];
    private int length;

    public byte[] Mutate(byte[] parent, IReadOnlyList<byte[]> corpus)
    {
        length = Math.Min(parent.Length, maxLength);
        parent.AsSpan(0, length).CopyTo(buffer);
        var edits = 1 << random.Next(0, 5);
        for (var i = 0; i < edits; i++)
        {
            Edit(corpus);
        }

        return buffer.AsSpan(0, length).ToArray();
    }

    private void Edit(IReadOnlyList<byte[]> corpus)
    {
        switch (random.Next(length == 0 ? 9 : 0, 19))
        {
            case 0:
                buffer[random.Next(length)] ^= (byte)(1 << random.Next(8));
                break;
            case 1:
                buffer[random.Next(length)] = (byte)random.Next(256);
                break;
            case 2:
                buffer[random.Next(length)] = (byte)Interesting8[random.Next(Interesting8.Length)];
                break;
            case 3:
                buffer[random.Next(length)] += (byte)(random.Next(1, 36) * (random.Next(2) == 0 ? 1 : -1));
                break;
            case 4 when length >= 2:
                WriteInteger(random.Next(length - 1), 2, Interesting16[random.Next(Interesting16.Length)]);
                break;
            case 5 when length >= 4:
                WriteInteger(random.Next(length - 3), 4, Interesting32[random.Next(Interesting32.Length)]);
                break;
            case 6 when length >= 2:
                AddToInteger(random.Next(length - 1), 2);
                break;
            case 7 when length >= 4:
                AddToInteger(random.Next(length - 3), 4);
                break;
            case 8:
                Delete(random.Next(length), BlockLength(length));
                break;
            case 9 when length > 0:
            {
                var from = random.Next(length);
                var block = buffer.AsSpan(from, BlockLength(length - from)).ToArray();
                Insert(random.Next(length + 1), block);
                break;
            }

            case 10 when dictionary.Count > 0:
                Insert(random.Next(length + 1), dictionary[random.Next(dictionary.Count)]);
                break;
            case 11 when dictionary.Count > 0:
                Overwrite(random.Next(length + 1), dictionary[random.Next(dictionary.Count)]);
                break;
            case 12 when corpus.Count > 0:
            {
                var other = corpus[random.Next(corpus.Count)];
                if (other.Length > 0)
                {
                    var from = random.Next(other.Length);
                    Insert(random.Next(length + 1), other.AsSpan(from, BlockLength(other.Length - from)));
                }

                break;
            }

            case 13 when corpus.Count > 0:
            {
                // Crossover: this input's head, another's tail.
                var other = corpus[random.Next(corpus.Count)];
                var cut = random.Next(length + 1);
                var from = other.Length == 0 ? 0 : random.Next(other.Length);
                length = cut;
                Insert(cut, other.AsSpan(from));
                break;
            }

            case 14:
                length = random.Next(length + 1);
                break;
            case 15:
            {
                var bytes = new byte[BlockLength(32)];
                random.NextBytes(bytes);
                Insert(random.Next(length + 1), bytes);
                break;
            }

            case 16:
                ReplaceNumber();
                break;
            case 17 when length > 0:
            {
                var from = random.Next(length);
                var block = buffer.AsSpan(from, BlockLength(length - from)).ToArray();
                Overwrite(random.Next(length), block);
                break;
            }

            default:
                buffer[random.Next(Math.Max(length, 1))] = (byte)random.Next(256);
                length = Math.Max(length, 1);
                break;
        }
    }

    private int BlockLength(int available) =>
        available <= 0 ? 0 : Math.Min(available, random.Next(4) == 0 ? random.Next(1, 1 + Math.Min(available, 1024)) : random.Next(1, 1 + Math.Min(available, 16)));

    private void WriteInteger(int at, int size, int value)
    {
        var span = buffer.AsSpan(at, size);
        var bigEndian = random.Next(2) == 0;
        if (size == 2)
        {
            if (bigEndian) BinaryPrimitives.WriteInt16BigEndian(span, (short)value);
            else BinaryPrimitives.WriteInt16LittleEndian(span, (short)value);
        }
        else
        {
            if (bigEndian) BinaryPrimitives.WriteInt32BigEndian(span, value);
            else BinaryPrimitives.WriteInt32LittleEndian(span, value);
        }
    }

    private void AddToInteger(int at, int size)
    {
        var span = buffer.AsSpan(at, size);
        var delta = random.Next(1, 36) * (random.Next(2) == 0 ? 1 : -1);
        if (size == 2)
        {
            BinaryPrimitives.WriteUInt16BigEndian(span, (ushort)(BinaryPrimitives.ReadUInt16BigEndian(span) + delta));
        }
        else
        {
            BinaryPrimitives.WriteUInt32BigEndian(span, (uint)(BinaryPrimitives.ReadUInt32BigEndian(span) + delta));
        }
    }

    /// <summary>Replaces a run of ASCII digits (or inserts at random) with a boundary value: text formats carry numbers as digits.</summary>
    private void ReplaceNumber()
    {
        var number = Encoding.ASCII.GetBytes(InterestingNumbers[random.Next(InterestingNumbers.Length)]);
        var digits = buffer.AsSpan(0, length).IndexOfAnyInRange((byte)'0', (byte)'9');
        if (digits < 0 || random.Next(4) == 0)
        {
            Insert(random.Next(length + 1), number);
            return;
        }

        var end = digits;
        while (end < length && buffer[end] is >= (byte)'0' and <= (byte)'9')
        {
            end++;
        }

        Delete(digits, end - digits);
        Insert(digits, number);
    }

    private void Delete(int at, int count)
    {
        count = Math.Min(count, length - at);
        if (count <= 0)
        {
            return;
        }

        buffer.AsSpan(at + count, length - at - count).CopyTo(buffer.AsSpan(at));
        length -= count;
    }

    private void Insert(int at, ReadOnlySpan<byte> bytes)
    {
        var count = Math.Min(bytes.Length, maxLength - length);
        if (count <= 0)
        {
            return;
        }

        buffer.AsSpan(at, length - at).CopyTo(buffer.AsSpan(at + count));
        bytes[..count].CopyTo(buffer.AsSpan(at));
        length += count;
    }

    private void Overwrite(int at, ReadOnlySpan<byte> bytes)
    {
        var count = Math.Min(bytes.Length, maxLength - at);
        bytes[..count].CopyTo(buffer.AsSpan(at));
        length = Math.Max(length, at + count);
    }
}
