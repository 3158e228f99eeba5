using Minio;
using Minio.DataModel.Args;
using Minio.DataModel.Result;
using Minio.Exceptions;

namespace Nio.Shared.Storage;

/// <summary>Where the S3 backend stores media (section <c>Storage:S3</c>).</summary>
public sealed class S3Options
{
    /// <summary>host:port of the S3 or MinIO server.</summary>
    public string? Endpoint { get; set; }

    public string? AccessKey { get; set; }

    public string? SecretKey { get; set; }

    public string Bucket { get; set; } = "nio-media";

    public bool UseSsl { get; set; }
}

/// <summary>Objects in an S3-compatible bucket (MinIO in docker-compose), through the Minio client.</summary>
public sealed class S3MediaStore : IMediaStore
{
    private const int Attempts = 3;

    private readonly IMinioClient client;
    private readonly string bucket;
    private readonly Lock bucketCheck = new();
    private Task? bucketReady;

    public S3MediaStore(S3Options options)
    {
        if (string.IsNullOrWhiteSpace(options.Endpoint) || string.IsNullOrEmpty(options.AccessKey) || string.IsNullOrEmpty(options.SecretKey))
        {
            throw new InvalidOperationException("NIO_STORAGE=s3 needs NIO_S3_ENDPOINT, NIO_S3_ACCESS_KEY and NIO_S3_SECRET_KEY.");
        }

        bucket = options.Bucket;
        // Idle connections are let go before servers close them (Node, and so s3rver, closes after 5 s): a request
        // sent on a connection the server is closing at that moment fails.
        var http = new HttpClient(new SocketsHttpHandler { PooledConnectionIdleTimeout = TimeSpan.FromSeconds(3) });
        client = new MinioClient()
            .WithEndpoint(options.Endpoint)
            .WithCredentials(options.AccessKey, options.SecretKey)
            .WithSSL(options.UseSsl)
            .WithHttpClient(http, disposeHttpClient: true)
            .WithRetryPolicy(RetryTransientFailures)
            .Build();
    }

    public async Task WriteAsync(string path, ReadOnlyMemory<byte> content, string contentType, CancellationToken cancellationToken)
    {
        MediaPath.Validate(path);
        await BucketReady();
        // A PUT replaces the object whole: readers get the old or the new version, never a mix.
        using var body = new MemoryStream(content.ToArray(), writable: false);
        await client.PutObjectAsync(new PutObjectArgs()
            .WithBucket(bucket).WithObject(path).WithStreamData(body).WithObjectSize(content.Length).WithContentType(contentType), cancellationToken);
    }

    public async Task<byte[]?> ReadAsync(string path, CancellationToken cancellationToken)
    {
        MediaPath.Validate(path);
        await BucketReady();
        using var copy = new MemoryStream();
        try
        {
            await client.GetObjectAsync(new GetObjectArgs()
                .WithBucket(bucket).WithObject(path).WithCallbackStream((stream, token) => stream.CopyToAsync(copy, token)), cancellationToken);
        }
        catch (ObjectNotFoundException)
        {
            return null;
        }

        return copy.ToArray();
    }

    public async Task DeleteAsync(string path, CancellationToken cancellationToken)
    {
        MediaPath.Validate(path);
        await BucketReady();
        await client.RemoveObjectAsync(new RemoveObjectArgs().WithBucket(bucket).WithObject(path), cancellationToken);
    }

    /// <summary>
    /// Every request is idempotent (a PUT of the same bytes, a GET, a DELETE), so one that got no answer from the server
    /// is sent again. Minio 7.0.0 reports a connection that broke before the response as a NullReferenceException from
    /// its error parser, so anything that is not an answer from the server counts as no answer.
    /// </summary>
    private static async Task<ResponseResult> RetryTransientFailures(Func<Task<ResponseResult>> execute)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await execute();
            }
            catch (Exception exception) when (attempt < Attempts && IsTransient(exception))
            {
                await Task.Delay(TimeSpan.FromMilliseconds(100 * attempt));
            }
        }
    }

    private static bool IsTransient(Exception exception) => exception switch
    {
        OperationCanceledException => false,
        ObjectNotFoundException or BucketNotFoundException or AccessDeniedException or ForbiddenException or AuthorizationException
            or InvalidBucketNameException or InvalidObjectNameException => false,
        MinioException { ServerResponse: { } answer } => (int)answer.StatusCode >= 500,
        _ => true,
    };

    /// <summary>The bucket is checked (and made) once; a check that failed is tried again by the next operation.</summary>
    private Task BucketReady()
    {
        lock (bucketCheck)
        {
            if (bucketReady is null || bucketReady.IsFaulted || bucketReady.IsCanceled)
            {
                bucketReady = EnsureBucketAsync();
            }

            return bucketReady;
        }
    }

    private async Task EnsureBucketAsync()
    {
        if (!await client.BucketExistsAsync(new BucketExistsArgs().WithBucket(bucket)))
        {
            await client.MakeBucketAsync(new MakeBucketArgs().WithBucket(bucket));
        }
    }
}
