using Nio.Shared.Storage;
using Nio.TestSupport;

namespace Nio.Shared.Tests.Storage;

/// <remarks>
/// Concurrent overwrites of one key are not tested here: S3 and MinIO replace an object atomically on PUT, but
/// s3rver writes its file in place, so a test of that guarantee would only test s3rver.
/// </remarks>
public sealed class S3MediaStoreTests(S3rver s3rver) : MediaStoreContract, IClassFixture<S3rver>
{
    // Each test class instance gets a bucket of its own, so tests never see each other's objects.
    protected override IMediaStore Store { get; } = new S3MediaStore(s3rver.NewBucket());

    [Fact]
    public void Missing_endpoint_or_keys_fail_at_start_up_with_a_clear_message()
    {
        var exception = Assert.Throws<InvalidOperationException>(() => new S3MediaStore(new S3Options { Endpoint = "127.0.0.1:1" }));
        Assert.Contains("NIO_S3_ACCESS_KEY", exception.Message);
    }
}
