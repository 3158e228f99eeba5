using Microsoft.Extensions.Logging;
using Xunit.Abstractions;

namespace Nio.TestSupport;

/// <summary>Writes a component's log into the test's output, so a failing test shows what the component said.</summary>
public sealed class TestOutputLogger<T>(ITestOutputHelper output) : ILogger<T>
{
    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        try
        {
            output.WriteLine($"{DateTime.UtcNow:HH:mm:ss.fff} {logLevel} {formatter(state, exception)}{(exception is null ? "" : $" {exception}")}");
        }
        catch (InvalidOperationException)
        {
            // Logged after the test finished: xunit no longer takes output.
        }
    }
}
