using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace Nio.Ingest.Rtmp;

/// <summary>AMF0's "undefined" marker, distinct from null.</summary>
public sealed class Amf0Undefined
{
    public static readonly Amf0Undefined Value = new();

    private Amf0Undefined()
    {
    }
}

/// <summary>
/// AMF0 (Action Message Format 0) values as .NET objects: double, bool, string, null, <see cref="Amf0Undefined"/>,
/// <c>Dictionary&lt;string, object?&gt;</c> for objects and ECMA arrays, <c>List&lt;object?&gt;</c> for strict arrays,
/// <see cref="DateTime"/> for dates.
/// </summary>
public static class Amf0
{
    private const byte Number = 0x00, Boolean = 0x01, String = 0x02, Object = 0x03, Null = 0x05, Undefined = 0x06,
        EcmaArray = 0x08, ObjectEnd = 0x09, StrictArray = 0x0A, Date = 0x0B, LongString = 0x0C;

    private const int MaxDepth = 16;
    private const int MaxElements = 4096;
    private static readonly double MinDateMilliseconds = (DateTime.MinValue - DateTime.UnixEpoch).TotalMilliseconds;
    private static readonly double MaxDateMilliseconds = (DateTime.MaxValue - DateTime.UnixEpoch).TotalMilliseconds - 1;

    /// <summary>Reads every value in a command or data message payload.</summary>
    public static List<object?> ReadAll(ReadOnlySpan<byte> payload)
    {
        var values = new List<object?>();
        var elements = 0;
        while (!payload.IsEmpty)
        {
            values.Add(ReadValue(ref payload, 0, ref elements));
        }

        return values;
    }

    /// <summary>The length in bytes of the first value, used to slice a payload without re-encoding it.</summary>
    public static int LengthOfFirstValue(ReadOnlySpan<byte> payload)
    {
        var rest = payload;
        var elements = 0;
        ReadValue(ref rest, 0, ref elements);
        return payload.Length - rest.Length;
    }

    private static object? ReadValue(ref ReadOnlySpan<byte> span, int depth, ref int elements)
    {
        if (depth > MaxDepth)
        {
            throw new RtmpProtocolException(RtmpError.AmfTooDeep, $"values nested deeper than {MaxDepth}");
        }

        if (++elements > MaxElements)
        {
            throw new RtmpProtocolException(RtmpError.MalformedAmf, $"more than {MaxElements} values");
        }

        var marker = Take(ref span, 1)[0];
        switch (marker)
        {
            case Number:
                return BinaryPrimitives.ReadDoubleBigEndian(Take(ref span, 8));
            case Boolean:
                return Take(ref span, 1)[0] != 0;
            case String:
                return ReadString(ref span, BinaryPrimitives.ReadUInt16BigEndian(Take(ref span, 2)));
            case LongString:
                return ReadString(ref span, BinaryPrimitives.ReadUInt32BigEndian(Take(ref span, 4)));
            case Null:
                return null;
            case Undefined:
                return Amf0Undefined.Value;
            case Object:
                return ReadProperties(ref span, depth, ref elements);
            case EcmaArray:
                Take(ref span, 4); // The count is only a hint; the end marker is what ends the array.
                return ReadProperties(ref span, depth, ref elements);
            case StrictArray:
                var count = BinaryPrimitives.ReadUInt32BigEndian(Take(ref span, 4));
                if (count > MaxElements)
                {
                    throw new RtmpProtocolException(RtmpError.MalformedAmf, $"strict array of {count} elements");
                }

                var list = new List<object?>((int)count);
                for (var i = 0; i < count; i++)
                {
                    list.Add(ReadValue(ref span, depth + 1, ref elements));
                }

                return list;
            case Date:
                var milliseconds = BinaryPrimitives.ReadDoubleBigEndian(Take(ref span, 8));
                Take(ref span, 2); // time zone, unused by the format's own definition
                return milliseconds >= MinDateMilliseconds && milliseconds <= MaxDateMilliseconds
                    ? DateTime.UnixEpoch.AddMilliseconds(milliseconds)
                    : throw new RtmpProtocolException(RtmpError.MalformedAmf, "date out of range");
            default:
                throw new RtmpProtocolException(RtmpError.MalformedAmf, $"unsupported AMF0 marker 0x{marker:X2}");
        }
    }

    private static Dictionary<string, object?> ReadProperties(ref ReadOnlySpan<byte> span, int depth, ref int elements)
    {
        var properties = new Dictionary<string, object?>(StringComparer.Ordinal);
        while (true)
        {
            var name = ReadString(ref span, BinaryPrimitives.ReadUInt16BigEndian(Take(ref span, 2)));
            if (name.Length == 0 && span.Length > 0 && span[0] == ObjectEnd)
            {
                span = span[1..];
                return properties;
            }

            properties[name] = ReadValue(ref span, depth + 1, ref elements);
        }
    }

    private static string ReadString(ref ReadOnlySpan<byte> span, uint length)
    {
        if (length > span.Length)
        {
            throw new RtmpProtocolException(RtmpError.MalformedAmf, $"string of {length} bytes with {span.Length} left");
        }

        return Encoding.UTF8.GetString(Take(ref span, (int)length));
    }

    private static ReadOnlySpan<byte> Take(ref ReadOnlySpan<byte> span, int count)
    {
        if (span.Length < count)
        {
            throw new RtmpProtocolException(RtmpError.MalformedAmf, "value runs past the end of the message");
        }

        var taken = span[..count];
        span = span[count..];
        return taken;
    }

    /// <summary>Writes values in AMF0 (the subset NIO sends: numbers, booleans, strings, null, undefined, objects).</summary>
    public static void Write(IBufferWriter<byte> writer, params object?[] values)
    {
        foreach (var value in values)
        {
            WriteValue(writer, value);
        }
    }

    private static void WriteValue(IBufferWriter<byte> writer, object? value)
    {
        switch (value)
        {
            case null:
                writer.Write([Null]);
                break;
            case Amf0Undefined:
                writer.Write([Undefined]);
                break;
            case bool flag:
                writer.Write([Boolean, flag ? (byte)1 : (byte)0]);
                break;
            case double or int or uint or long:
                var number = writer.GetSpan(9);
                number[0] = Number;
                BinaryPrimitives.WriteDoubleBigEndian(number[1..], Convert.ToDouble(value, System.Globalization.CultureInfo.InvariantCulture));
                writer.Advance(9);
                break;
            case string text:
                writer.Write([String]);
                WriteShortString(writer, text);
                break;
            case IEnumerable<KeyValuePair<string, object?>> properties:
                writer.Write([Object]);
                foreach (var (name, property) in properties)
                {
                    WriteShortString(writer, name);
                    WriteValue(writer, property);
                }

                writer.Write<byte>([0, 0, ObjectEnd]);
                break;
            default:
                throw new ArgumentException($"AMF0 writing does not support {value.GetType()}", nameof(value));
        }
    }

    private static void WriteShortString(IBufferWriter<byte> writer, string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        var length = writer.GetSpan(2);
        BinaryPrimitives.WriteUInt16BigEndian(length, checked((ushort)bytes.Length));
        writer.Advance(2);
        writer.Write(bytes);
    }
}
