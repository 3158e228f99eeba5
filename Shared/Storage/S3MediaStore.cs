using Minio;
using Minio.DataModel.Args;
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
    private readonly IMinioClient client;
    private readonly string bucket;
    private readonly Lazy<Task> bucketReady;

    public S3MediaStore(S3Options options)
    {
        if (string.IsNullOrWhiteSpace(options.Endpoint) || string.IsNullOrEmpty(options.AccessKey) || string.IsNullOrEmpty(options.SecretKey))
        {
            throw new InvalidOperationException("NIO_STORAGE=s3 needs NIO_S3_ENDPOINT, NIO_S3_ACCESS_KEY and NIO_S3_SECRET_KEY.");
        }

        bucket = options.Bucket;
        client = new MinioClient()
            .WithEndpoint(options.Endpoint)
            .WithCredentials(options.AccessKey, options.SecretKey)
            .WithSSL(options.UseSsl)
            .Build();
        bucketReady = new Lazy<Task>(EnsureBucketAsync);
    }

    public async Task WriteAsync(string path, ReadOnlyMemory<byte> content, string contentType, CancellationToken cancellationToken)
    {
        MediaPath.Validate(path);
        await bucketReady.Value;
        // A PUT replaces the object whole: readers get the old or the new version, never a mix.
        using var body = new MemoryStream(content.ToArray(), writable: false);
        await client.PutObjectAsync(new PutObjectArgs()
            .WithBucket(bucket).WithObject(path).WithStreamData(body).WithObjectSize(content.Length).WithContentType(contentType), cancellationToken);
    }

    public async Task<byte[]?> ReadAsync(string path, CancellationToken cancellationToken)
    {
        MediaPath.Validate(path);
        await bucketReady.Value;
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
        await bucketReady.Value;
        await client.RemoveObjectAsync(new RemoveObjectArgs().WithBucket(bucket).WithObject(path), cancellationToken);
    }

    private async Task EnsureBucketAsync()
    {
        if (!await client.BucketExistsAsync(new BucketExistsArgs().WithBucket(bucket)))
        {
            await client.MakeBucketAsync(new MakeBucketArgs().WithBucket(bucket));
        }
    }
}
