using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Nio.Shared.Hosting;

namespace Nio.Shared.Storage;

/// <summary>Which media store a service uses (section <c>Storage</c>).</summary>
public sealed class MediaStoreOptions
{
    /// <summary><c>disk</c> (the embedded default) or <c>s3</c>.</summary>
    public string Backend { get; set; } = "disk";

    /// <summary>The folder of the disk backend; default <c>NIO_DATA_DIR/media</c>.</summary>
    public string? Directory { get; set; }

    public S3Options S3 { get; set; } = new();
}

public static class StorageEnvironment
{
    /// <summary>The storage variables every service that touches media maps.</summary>
    public static readonly IReadOnlyDictionary<string, string> Aliases = new Dictionary<string, string>
    {
        ["NIO_STORAGE"] = "Storage:Backend",
        ["NIO_STORAGE_DIR"] = "Storage:Directory",
        ["NIO_S3_ENDPOINT"] = "Storage:S3:Endpoint",
        ["NIO_S3_ACCESS_KEY"] = "Storage:S3:AccessKey",
        ["NIO_S3_SECRET_KEY"] = "Storage:S3:SecretKey",
        ["NIO_S3_BUCKET"] = "Storage:S3:Bucket",
        ["NIO_S3_USE_SSL"] = "Storage:S3:UseSsl",
    };

    public static IServiceCollection AddNioMediaStore(this IServiceCollection services, IConfiguration configuration, DataFolder dataFolder)
    {
        var options = configuration.GetSection("Storage").Get<MediaStoreOptions>() ?? new MediaStoreOptions();
        IMediaStore store = options.Backend.ToLowerInvariant() switch
        {
            "disk" => new LocalDiskMediaStore(options.Directory ?? Path.Combine(dataFolder.Path, "media")),
            "s3" => new S3MediaStore(options.S3),
            _ => throw new InvalidOperationException($"NIO_STORAGE must be 'disk' or 's3', not '{options.Backend}'."),
        };
        // A store put in place before (a test's) is kept.
        services.TryAddSingleton(store);
        return services;
    }
}
