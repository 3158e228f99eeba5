using System.Net;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;
using Nio.Shared.Hosting;

namespace Nio.Ingest.Streams;

/// <summary>
/// Admission settings that hold for every protocol (section <c>Publishing</c>).
/// </summary>
public sealed class PublishingOptions
{
    /// <summary>Stream keys the Api may refuse per minute from one address; beyond, publishing from it is refused unchecked.</summary>
    [System.ComponentModel.DataAnnotations.Range(1, 10_000)]
    public int RefusedKeysPerMinute { get; set; } = 10;
}

/// <summary>
/// Each client address's record of stream keys the Api refused, whatever protocol brought them: a bucket per address
/// (an IPv6 /64 counts as one), refilled one key a time over the minute, so guessing keys costs a minute per
/// <see cref="PublishingOptions.RefusedKeysPerMinute"/> tries.
/// </summary>
public sealed class RefusedKeys : IDisposable
{
    private readonly PartitionedRateLimiter<IPAddress> buckets;

    public RefusedKeys(IOptions<PublishingOptions> options)
    {
        var perMinute = options.Value.RefusedKeysPerMinute;
        // A full bucket is forgotten after a while.
        buckets = PartitionedRateLimiter.Create<IPAddress, IPAddress>(address => RateLimitPartition.GetTokenBucketLimiter(address, _ =>
            new TokenBucketRateLimiterOptions
            {
                TokenLimit = perMinute,
                TokensPerPeriod = 1,
                ReplenishmentPeriod = TimeSpan.FromMinutes(1) / perMinute,
                QueueLimit = 0,
                AutoReplenishment = false,
            }));
    }

    /// <summary>False while the address has had too many keys refused: its publish is refused without asking the Api.</summary>
    public bool MayCheck(IPAddress client) => buckets.GetStatistics(ClientAddress.Counted(client))?.CurrentAvailablePermits > 0;

    public void Refused(IPAddress client) => buckets.AttemptAcquire(ClientAddress.Counted(client)).Dispose();

    public void Dispose() => buckets.Dispose();
}
