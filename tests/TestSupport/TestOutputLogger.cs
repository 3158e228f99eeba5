using Microsoft.Extensions.Logging;
using Xunit.Abstractions;

namespace Nio.TestSupport;

/// <summary>Writes a component's log into the test's output, so a failing test shows what the component said.</summary>
public class TestOutputLogger(ITestOutputHelper output, string? category = null) : ILogger
{
    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (!IsEnabled(logLevel))
        {
            return;
        }

        try
        {
            output.WriteLine($"{DateTime.UtcNow:HH:mm:ss.fff} {logLevel} {(category is null ? "" : category + ": ")}{formatter(state, exception)}{(exception is null ? "" : $" {exception}")}");
        }
        catch (InvalidOperationException)
        {
            // Logged after the test finished: xunit no longer takes output.
        }
    }
}

public sealed class TestOutputLogger<T>(ITestOutputHelper output) : TestOutputLogger(output), ILogger<T>;

/// <summary>Every category of a host's log into the test's output.</summary>
public sealed class TestOutputLoggerProvider(ITestOutputHelper output) : ILoggerProvider
{
    public ILogger CreateLogger(string categoryName) => new TestOutputLogger(output, categoryName[(categoryName.LastIndexOf('.') + 1)..]);

    public void Dispose()
    {
    }
}
