using System.Net;
using Nio.Origin.Live;
using Nio.Shared.Hosting;
using Nio.Shared.Security;
using Nio.Shared.Storage;

namespace Nio.Origin.Hosting;

/// <summary>Builds the Origin: the media store, the in-memory live edge and the HTTP API.</summary>
public static class OriginHost
{
    /// <summary>The listener of the Transcoder's playlist pushes (<c>NIO_ORIGIN_INTERNAL_PORT</c>).</summary>
    public const int DefaultInternalPort = 8090;

    public static readonly IReadOnlyDictionary<string, string> Aliases = new Dictionary<string, string>
    {
        ["NIO_HOST"] = "Http:Host",
        ["NIO_ORIGIN_PORT"] = "Http:Port",
        ["NIO_DATA_DIR"] = "DataDir",
        ["NIO_ORIGIN_INTERNAL_PORT"] = "Http:InternalPort",
        ["NIO_TRANSCODER_TO_ORIGIN_SECRET"] = "Transcoder:Secret",
        ["NIO_ORIGIN_CACHE_MB"] = "Origin:MediaCacheMegabytes",
        ["NIO_ORIGIN_MISS_CACHE_SECONDS"] = "Origin:MissCacheSeconds",
        ["NIO_ORIGIN_MISS_CACHE_ENTRIES"] = "Origin:MissCacheEntries",
        ["NIO_ORIGIN_ENDED_PLAYLIST_SECONDS"] = "Origin:EndedPlaylistSeconds",
        ["NIO_ORIGIN_IDLE_PLAYLIST_SECONDS"] = "Origin:IdlePlaylistSeconds",
    };

    /// <param name="configure">Lets tests add settings before the host is built.</param>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = ServiceHosting.CreateServiceBuilder(args, configure, Aliases, StorageEnvironment.Aliases);
        var dataFolder = builder.DataFolder();
        builder.Services.AddInternalCaller(builder.Configuration, dataFolder, OriginApi.Caller, InternalSecrets.TranscoderToOrigin);
        builder.Services.AddNioMediaStore(builder.Configuration, dataFolder);
        builder.Services.AddOptions<LiveEdgeOptions>().Bind(builder.Configuration.GetSection("Origin")).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<LiveEdge>();
        builder.Services.Configure<MediaCacheOptions>(builder.Configuration.GetSection("Origin"));
        builder.Services.AddSingleton<MediaCache>();
        builder.Services.AddOptions<MissCacheOptions>().Bind(builder.Configuration.GetSection("Origin")).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<MissCache>();
        builder.Services.AddProblemDetails();
        builder.Services.AddHealthChecks();
        builder.WebHost.UseInlineSockets();
        // Nearly every request is a media GET answered in microseconds, so what Kestrel and hosting add to each one
        // shows: no Server header, and no hosting diagnostics (an Activity and a log scope per request, with nothing
        // listening). Application errors are still logged, by Kestrel.
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.ConfigureEndpointDefaults(DirectSocketOutput.UseFor);
        });
        builder.Logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.None);
        var host = IPAddress.Parse(builder.BindHost());
        var internalPort = builder.Configuration.InternalPort(DefaultInternalPort);
        builder.WebHost.UseUrls($"http://{host}:{builder.Configuration.GetValue("Http:Port", 8080)}", $"http://{host}:{internalPort}");

        var app = builder.Build();
        app.UseLiveMedia();
        app.UseRouting();
        app.UseStatusCodePages();
        app.UseInternalRoutes(internalPort);
        app.MapNioHealth();
        app.MapOriginApi();
        return app;
    }
}
