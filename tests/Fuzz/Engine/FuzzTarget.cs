using System.Text;

namespace Nio.Fuzz.Engine;

/// <summary>
/// One piece of NIO fed untrusted bytes. <see cref="Run"/> passes the input to the production code the way its caller
/// would; an exception <see cref="IsRejection"/> accepts is the parser saying no, any other is a defect.
/// </summary>
public abstract class FuzzTarget
{
    /// <summary>The target's name on the command line and its corpus folder.</summary>
    public abstract string Name { get; }

    /// <summary>Inputs grow up to this size; larger ones only cost time on parsers that bound sizes anyway.</summary>
    public virtual int MaxInputLength => 16 * 1024;

    /// <summary>Tokens the mutator splices in: magic numbers, field names, markers a random byte rarely hits.</summary>
    public virtual IReadOnlyList<byte[]> Dictionary => [];

    public abstract void Run(ReadOnlySpan<byte> input);

    /// <summary>True for the exception the code under test throws for malformed input by design.</summary>
    public abstract bool IsRejection(Exception exception);

    /// <summary>
    /// The most one execution may allocate on its thread before it counts as unbounded allocation: a parser that
    /// believes a length field instead of the bytes that arrived shows up here long before it exhausts memory.
    /// </summary>
    public virtual long AllocationLimit(int inputLength) => 4L * 1024 * 1024 + 64L * inputLength;

    protected static byte[][] Tokens(params string[] tokens) => [.. tokens.Select(Encoding.UTF8.GetBytes)];
}

/// <summary>A property of the code under test that an input broke without any exception of its own.</summary>
public sealed class InvariantViolatedException(string message) : Exception(message);
