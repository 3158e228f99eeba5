using Microsoft.Extensions.Options;
using Nio.Api.Audit;
using Nio.Shared.Hosting;
using Nio.Shared.Security;

namespace Nio.Api.Streams;

/// <summary>Stream-lifecycle settings (section <c>Streams</c>).</summary>
public sealed class StreamOptions
{
    /// <summary>A live stream whose Ingest heartbeat is older than this is marked offline by the reaper.</summary>
    public int HeartbeatTimeoutSeconds { get; set; } = 30;
}

public static class StreamsSetup
{
    public static void AddNioStreams(this WebApplicationBuilder builder, Nio.Shared.Hosting.DataFolder dataFolder)
    {
        var services = builder.Services;
        services.Configure<MediaUrlOptions>(builder.Configuration.GetSection("MediaUrls"));
        services.Configure<StreamOptions>(builder.Configuration.GetSection("Streams"));
        services.AddInternalCaller(builder.Configuration, dataFolder, IngestApi.Caller, InternalSecrets.IngestToApi);
        services.AddInternalCaller(builder.Configuration, dataFolder, TranscoderApi.Caller, InternalSecrets.TranscoderToApi);
        services.AddSingleton<StreamRepository>();
        services.AddSingleton<StreamEnding>();
        services.AddSingleton(_ => new StreamKeySeal(dataFolder.GetOrCreateSecret(StreamKeySeal.SecretName)));
        services.AddSingleton<AuditLog>();
        services.AddHttpContextAccessor();
        services.AddScoped(provider => MediaUrls.For(
            provider.GetRequiredService<IOptions<MediaUrlOptions>>().Value,
            provider.GetRequiredService<IHttpContextAccessor>().HttpContext!.Request));
    }
}
