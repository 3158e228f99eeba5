namespace Nio.TestSupport;

/// <summary>Polls a condition that another party makes true, failing the test when it stays false too long.</summary>
public static class Wait
{
    public static async Task UntilAsync(Func<Task<bool>> condition, TimeSpan timeout, string failure)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, failure);
            await Task.Delay(100);
        }
    }

    public static Task UntilAsync(Func<bool> condition, TimeSpan timeout, string failure) =>
        UntilAsync(() => Task.FromResult(condition()), timeout, failure);
}
