using System.Net;
using Nio.Shared.Hosting;
using Nio.Shared.LlHls;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Nio.Shared.Security;
using Nio.Shared.Storage;
using Nio.Transcoder.Live;
using Nio.Transcoder.Retention;
using Nio.Transcoder.Thumbnails;

namespace Nio.Transcoder.Hosting;

/// <summary>Builds the Transcoder: the Ingest watcher, the packagers it starts, the media store, the Origin and Api links, and /healthz.</summary>
public static class TranscoderHost
{
    /// <param name="configure">Lets tests add settings before the host is built.</param>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = ServiceHosting.CreateServiceBuilder(args, configure, TranscoderEnvironment.Aliases, StorageEnvironment.Aliases);
        var dataFolder = builder.DataFolder();
        var services = builder.Services;
        services.Configure<LadderOptions>(builder.Configuration.GetSection("Transcoder"));
        services.AddOptions<IngestOptions>()
            .Bind(builder.Configuration.GetSection("Ingest"))
            .PostConfigure(o => o.Secret = dataFolder.InternalSecret(InternalSecrets.TranscoderToIngest, o.Secret));
        services.AddNioMediaStore(builder.Configuration, dataFolder);
        services.AddOptions<OriginOptions>()
            .Bind(builder.Configuration.GetSection("Origin"))
            .PostConfigure(o => o.Secret = dataFolder.InternalSecret(InternalSecrets.TranscoderToOrigin, o.Secret));
        services.AddSingleton<IPlaylistListener, OriginNotifier>();
        services.AddOptions<ApiOptions>()
            .Bind(builder.Configuration.GetSection("Api"))
            .PostConfigure(o => o.Secret = dataFolder.InternalSecret(InternalSecrets.TranscoderToApi, o.Secret));
        services.AddSingleton<ApiClient>();
        services.AddSingleton<IThumbnailListener, ThumbnailReporter>();
        services.Configure<RetentionQueueOptions>(builder.Configuration.GetSection("RetentionQueue"));
        services.AddSingleton(provider =>
        {
            var queue = provider.GetRequiredService<IOptions<RetentionQueueOptions>>().Value;
            return new RetentionReports(
                queue.Directory ?? Path.Combine(dataFolder.Path, "retention"), queue.MaxMegabytes * 1024L * 1024, provider.GetRequiredService<ILogger<RetentionReports>>());
        });
        services.AddSingleton<ISourceEncodingListener, SourceEncodingReporter>();
        services.AddSingleton<ApiMediaRetention>();
        services.AddSingleton<IMediaRetention>(provider => provider.GetRequiredService<ApiMediaRetention>());
        services.AddHostedService(provider => provider.GetRequiredService<ApiMediaRetention>());
        services.AddSingleton<StreamStates>();
        services.AddSingleton<LivePackager>();
        services.AddHttpClient();
        services.AddSingleton<IngestClient>();
        services.AddSingleton<IngestWatcher>();
        services.AddHostedService(provider => provider.GetRequiredService<IngestWatcher>());
        services.AddHealthChecks().AddCheck<IngestHealthCheck>("ingest").AddCheck<StreamsHealthCheck>("streams");

        builder.WebHost.UseUrls($"http://{IPAddress.Parse(builder.BindHost())}:{builder.Configuration.GetValue("Http:Port", 8082)}");
        var app = builder.Build();
        app.MapNioHealth();
        return app;
    }
}

/// <summary>Healthy while the Ingest's list of live streams comes in: without it nothing can be transcoded.</summary>
public sealed class IngestHealthCheck(IngestWatcher watcher) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(
        HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(watcher.IngestReachable
            ? HealthCheckResult.Healthy("the Ingest answers")
            : HealthCheckResult.Unhealthy("the Ingest does not answer"));
}

/// <summary>
/// Each stream's packaging state (data: stream id → state). Degraded while a stream cannot be packaged (its media store
/// fails, FFmpeg is restarting after a fault): restarting the Transcoder would not help, the operator has to look.
/// </summary>
public sealed class StreamsHealthCheck(StreamStates states) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var snapshot = states.Current.ToArray();
        var streams = snapshot.ToDictionary(stream => stream.Key.ToString(), stream => (object)stream.Value.ToString());
        var failing = snapshot.Count(stream => stream.Value.Failing);
        return Task.FromResult(failing == 0
            ? HealthCheckResult.Healthy($"{streams.Count} streams", streams)
            : HealthCheckResult.Degraded($"{failing} of {streams.Count} streams cannot be packaged", data: streams));
    }
}
