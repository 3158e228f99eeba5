using Microsoft.AspNetCore.Connections;
using System.Net;
using Nio.Ingest.ApiLink;
using Nio.Ingest.Flv;
using Nio.Ingest.Rtmp;
using Nio.Ingest.Streams;
using Nio.Shared.Hosting;

namespace Nio.Ingest.Hosting;

/// <summary>Builds the Ingest: RTMP on its own port through Kestrel's connection pipeline, HTTP beside it.</summary>
public static class IngestHost
{
    /// <param name="configure">Lets tests add settings and replace the Api's HTTP handler before the host is built.</param>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = ServiceHosting.CreateServiceBuilder(args, configure, IngestEnvironment.Aliases);
        var dataFolder = builder.DataFolder();
        var services = builder.Services;
        services.AddOptions<RtmpOptions>().Bind(builder.Configuration.GetSection("Rtmp")).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<ApiLinkOptions>()
            .Bind(builder.Configuration.GetSection("Api"))
            .PostConfigure(o => o.Secret = dataFolder.InternalSecret(o.Secret))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<StreamHub>();
        services.AddSingleton<LiveReporter>();
        services.AddSingleton<RtmpSessionFactory>();
        services.AddSingleton<RtmpAdmission>();
        services.AddHttpClient<ApiClient>();
        services.AddHealthChecks().AddCheck<ApiHealthCheck>("api");
        services.AddProblemDetails();

        var address = IPAddress.Parse(builder.BindHost());
        var rtmpPort = builder.Configuration.GetValue("Rtmp:Port", 1935);
        var httpPort = builder.Configuration.GetValue("Http:Port", 8081);
        builder.WebHost.UseInlineSockets();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(address, rtmpPort, listen => listen.UseConnectionHandler<RtmpConnectionHandler>());
            kestrel.Listen(address, httpPort);
        });

        var app = builder.Build();
        app.MapNioHealth();
        app.MapFlvOutput();
        return app;
    }
}
