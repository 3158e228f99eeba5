using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Nio.Shared.Hosting;

namespace Nio.Shared.Storage;

/// <summary>Which media store a service uses (section <c>Storage</c>).</summary>
public sealed class MediaStoreOptions
{
    /// <summary><c>disk</c> (the embedded default); S3/MinIO arrives with its backend.</summary>
    public string Backend { get; set; } = "disk";

    /// <summary>The folder of the disk backend; default <c>NIO_DATA_DIR/media</c>.</summary>
    public string? Directory { get; set; }
}

public static class StorageEnvironment
{
    /// <summary>The storage variables every service that touches media maps: <c>NIO_STORAGE</c>, <c>NIO_STORAGE_DIR</c>.</summary>
    public static readonly IReadOnlyDictionary<string, string> Aliases = new Dictionary<string, string>
    {
        ["NIO_STORAGE"] = "Storage:Backend",
        ["NIO_STORAGE_DIR"] = "Storage:Directory",
    };

    public static IServiceCollection AddNioMediaStore(this IServiceCollection services, IConfiguration configuration, DataFolder dataFolder)
    {
        var options = configuration.GetSection("Storage").Get<MediaStoreOptions>() ?? new MediaStoreOptions();
        if (!string.Equals(options.Backend, "disk", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException($"NIO_STORAGE={options.Backend} is not supported yet; use 'disk'.");
        }

        var directory = options.Directory ?? Path.Combine(dataFolder.Path, "media");
        return services.AddSingleton<IMediaStore>(new LocalDiskMediaStore(directory));
    }
}
