namespace Nio.WebRtc.Tests;

/// <summary>Hexadecimal as the RFCs print it: groups separated by spaces and line breaks.</summary>
internal static class Hex
{
    public static byte[] Bytes(string hex) => Convert.FromHexString(string.Concat(hex.Where(char.IsAsciiHexDigit)));
}
