using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Nio.Transcoder.Live;

namespace Nio.Transcoder.Tests.Live;

/// <summary>FFmpeg's input as the Transcoder copies it from a real HTTP server: whole while it flows, closed once it stops.</summary>
public sealed class LiveInputTests : IAsyncLifetime
{
    // Two seconds: a fresh server's first answer on two busy cores can take longer than one.
    private static readonly TimeSpan Silence = TimeSpan.FromSeconds(2);
    private readonly TaskCompletionSource stall = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private WebApplication server = null!;
    private HttpClient http = null!;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        server = builder.Build();
        // Sixty 1 KiB chunks, one every 100 ms: three times as long as the silence allowed between two reads.
        server.MapGet("/flowing", async (HttpContext context) =>
        {
            for (var i = 0; i < 60; i++)
            {
                await context.Response.Body.WriteAsync(new byte[1024]);
                await context.Response.Body.FlushAsync();
                await Task.Delay(100);
            }
        });
        server.MapGet("/stalling", async (HttpContext context) =>
        {
            await context.Response.Body.WriteAsync(new byte[1024]);
            await context.Response.Body.FlushAsync();
            await stall.Task.WaitAsync(context.RequestAborted);
        });
        await server.StartAsync();
        http = new HttpClient { BaseAddress = new Uri(server.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()) };
    }

    public async Task DisposeAsync()
    {
        stall.TrySetResult();
        http.Dispose();
        await server.DisposeAsync();
    }

    [Fact]
    public async Task An_input_that_flows_longer_than_the_silence_allowed_between_reads_is_copied_whole()
    {
        var copy = new MemoryStream();

        var stopped = await LiveInput.FeedAsync(token => http.GetStreamAsync("/flowing", token), copy, Silence, CancellationToken.None);

        Assert.Null(stopped);
        Assert.Equal(60 * 1024, copy.ToArray().Length);
    }

    [Fact]
    public async Task An_input_that_goes_silent_is_closed_once_the_silence_has_lasted()
    {
        var copy = new ClosingProbe();
        var watch = Stopwatch.StartNew();

        var stopped = await LiveInput.FeedAsync(token => http.GetStreamAsync("/stalling", token), copy, Silence, CancellationToken.None);

        Assert.Contains("sent nothing", stopped);
        Assert.InRange(watch.Elapsed, Silence, TimeSpan.FromSeconds(10));
        Assert.Equal(1024, copy.Written);
        Assert.True(copy.Closed, "FFmpeg's input was left open");
    }

    /// <summary>FFmpeg's standard input as the test sees it: how much was written, and whether it was closed.</summary>
    private sealed class ClosingProbe : MemoryStream
    {
        public bool Closed { get; private set; }

        public long Written { get; private set; }

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            Written += buffer.Length;
            return base.WriteAsync(buffer, cancellationToken);
        }

        protected override void Dispose(bool disposing)
        {
            Closed = true;
            base.Dispose(disposing);
        }
    }
}
