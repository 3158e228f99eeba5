using Microsoft.AspNetCore.Connections;
using System.Net;
using Nio.Ingest.ApiLink;
using Nio.Ingest.Rtmp;
using Nio.Ingest.Streams;
using Nio.Ingest.WebRtc;
using Nio.Ingest.Whip;
using Nio.Shared.Hosting;
using Nio.Shared.Security;

namespace Nio.Ingest.Hosting;

/// <summary>
/// Builds the Ingest: RTMP on its own port through Kestrel's connection pipeline, public HTTP beside it (health, WHIP),
/// WHIP's media on one UDP port, and the internal listener the Transcoder reads streams from.
/// </summary>
public static class IngestHost
{
    /// <summary>The listener of the Transcoder's routes (<c>NIO_INGEST_INTERNAL_PORT</c>).</summary>
    public const int DefaultInternalPort = 8091;

    /// <param name="configure">Lets tests add settings and replace the Api's HTTP handler before the host is built.</param>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = ServiceHosting.CreateServiceBuilder(args, configure, IngestEnvironment.Aliases);
        var dataFolder = builder.DataFolder();
        var services = builder.Services;
        services.AddOptions<RtmpOptions>().Bind(builder.Configuration.GetSection("Rtmp")).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<ApiLinkOptions>()
            .Bind(builder.Configuration.GetSection("Api"))
            .PostConfigure(o => o.Secret = dataFolder.InternalSecret(InternalSecrets.IngestToApi, o.Secret))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddOptions<WebRtcOptions>().Bind(builder.Configuration.GetSection("WebRtc")).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<PublishingOptions>().Bind(builder.Configuration.GetSection("Publishing")).ValidateDataAnnotations().ValidateOnStart();
        services.AddInternalCaller(builder.Configuration, dataFolder, LiveSourcesApi.Caller, InternalSecrets.TranscoderToIngest);
        services.AddSingleton<RefusedKeys>();
        services.AddSingleton<MediaHub>();
        services.AddSingleton<LiveReporter>();
        services.AddSingleton<RtmpSessionFactory>();
        services.AddSingleton<RtmpAdmission>();
        services.AddHttpClient<ApiClient>();
        services.AddHealthChecks().AddCheck<ApiHealthCheck>("api");
        services.AddProblemDetails();

        var address = IPAddress.Parse(builder.BindHost());
        services.AddSingleton(provider => ActivatorUtilities.CreateInstance<WebRtcTransport>(provider, address));
        services.AddHostedService(provider => provider.GetRequiredService<WebRtcTransport>());
        services.AddSingleton<WhipSessions>();
        var rtmpPort = builder.Configuration.GetValue("Rtmp:Port", 1935);
        var httpPort = builder.Configuration.GetValue("Http:Port", 8081);
        var internalPort = builder.Configuration.InternalPort(DefaultInternalPort);
        builder.WebHost.UseInlineSockets();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(address, rtmpPort, listen => listen.UseConnectionHandler<RtmpConnectionHandler>());
            kestrel.Listen(address, httpPort);
            kestrel.Listen(address, internalPort);
        });

        var app = builder.Build();
        app.UseInternalRoutes(internalPort);
        app.MapNioHealth();
        app.MapLiveSources();
        app.MapWhip();
        return app;
    }
}
