using Nio.Shared.Hosting;

namespace Nio.Shared.Tests.Hosting;

public sealed class BackoffTests
{
    [Fact]
    public void Waits_double_from_the_first_up_to_the_ceiling_less_at_most_a_quarter()
    {
        for (var failures = 1; failures <= 2000; failures++)
        {
            var longest = TimeSpan.FromSeconds(Math.Min(Math.Pow(2, failures - 1), 30));

            var delay = Backoff.Delay(failures, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30));

            Assert.InRange(delay, longest * 0.75, longest);
        }
    }
}
