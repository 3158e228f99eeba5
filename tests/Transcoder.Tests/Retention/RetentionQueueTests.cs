using System.Text;
using Dapper;
using Microsoft.Extensions.Logging.Abstractions;
using Nio.TestSupport;
using Nio.Transcoder.Live;
using Nio.Transcoder.Retention;
using Nio.Transcoder.Tests.Support;

namespace Nio.Transcoder.Tests.Retention;

/// <summary>
/// The queue of retention reports between the packager and the real Api: what the Api has not taken survives the
/// Transcoder, a refusal that ends when the Api catches up is retried, and the queue never grows past its bound.
/// </summary>
public sealed class RetentionQueueTests(ApiFactory api) : IClassFixture<ApiFactory>, IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("nio-retention-queue-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [Fact]
    public async Task Reports_the_api_has_not_taken_survive_a_transcoder_restart()
    {
        var (_, stream) = await api.CreateStreamAsync();
        var paths = new[] { $"live/{stream.Id}/240p/x-seg0.m4s", $"live/{stream.Id}/240p/x-part0.m4s" };
        using (var reports = NewReports())
        using (var away = new ApiMediaRetention(ServiceClients.ApiAt($"http://127.0.0.1:{TestHost.FreePort()}"), reports, NullLogger<ApiMediaRetention>.Instance))
        {
            await away.StartAsync(CancellationToken.None);
            away.Expire(stream.Id, paths, unlessLive: false);
            away.RecordingWritten(stream.Id);
            await Task.Delay(TimeSpan.FromSeconds(1.5));
            await away.StopAsync(CancellationToken.None);
            Assert.Equal(2, reports.Waiting.Count);
        }

        using (var reports = NewReports())
        using (var back = new ApiMediaRetention(ServiceClients.Api(api), reports, NullLogger<ApiMediaRetention>.Instance))
        {
            Assert.Equal(2, reports.Waiting.Count);
            await back.StartAsync(CancellationToken.None);
            await Wait.UntilAsync(async () => (await ScheduledAsync(stream.Id)).Count == 2 && reports.Waiting.Count == 0, TimeSpan.FromSeconds(30), "timed out waiting for the Api to take the reports");
            await back.StopAsync(CancellationToken.None);
        }

        Assert.Equal(paths.Order(), (await ScheduledAsync(stream.Id)).Order());
        Assert.Equal(0, new FileInfo(Path.Combine(directory, "reports.jsonl")).Length);
    }

    [Fact]
    public async Task A_report_the_api_refuses_for_a_wrong_secret_is_sent_again_until_the_secret_is_right()
    {
        var (_, stream) = await api.CreateStreamAsync();
        var secret = new ApiOptions { Url = "http://api.test", Secret = "not-the-secret" };
        using var reports = NewReports();
        using var retention = new ApiMediaRetention(ServiceClients.Api(api, secret), reports, NullLogger<ApiMediaRetention>.Instance);
        await retention.StartAsync(CancellationToken.None);

        retention.Expire(stream.Id, [$"live/{stream.Id}/240p/x-seg0.m4s"], unlessLive: false);
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        Assert.Empty(await ScheduledAsync(stream.Id));
        // The operator fixes the secret (a rotation completed).
        secret.Secret = ApiFactory.TranscoderSecret;

        await Wait.UntilAsync(async () => (await ScheduledAsync(stream.Id)).Count == 1, TimeSpan.FromSeconds(30), "timed out waiting for the Api to take the report");
        await retention.StopAsync(CancellationToken.None);
    }

    [Fact]
    public void The_queue_stays_within_its_bound_drops_what_does_not_fit_and_takes_reports_again_once_it_has_room()
    {
        const int Bound = 4096;
        using var reports = NewReports(Bound);
        var streamId = Guid.NewGuid();
        for (var i = 0; i < 200; i++)
        {
            reports.Add(Report(streamId, i));
        }

        var (count, bytes) = reports.Waiting;
        Assert.InRange(bytes, Bound - 200, Bound);
        Assert.InRange(count, 10, 199);
        Assert.True(new FileInfo(Path.Combine(directory, "reports.jsonl")).Length <= Bound);

        // Taking half makes room again; what was dropped stays dropped.
        for (var i = 0; i < count / 2; i++)
        {
            Assert.True(reports.NextAsync(CancellationToken.None).IsCompleted);
            reports.Taken();
        }

        reports.Add(Report(streamId, 1000));
        Assert.Equal(count - (count / 2) + 1, reports.Waiting.Count);
        // Taken reports leave the journal once they are half the bound.
        Assert.True(new FileInfo(Path.Combine(directory, "reports.jsonl")).Length <= Bound * 3 / 2);
    }

    [Fact]
    public async Task A_journal_cut_short_by_a_crash_gives_back_every_whole_report()
    {
        var streamId = Guid.NewGuid();
        using (var reports = NewReports())
        {
            reports.Add(Report(streamId, 0));
            reports.Add(Report(streamId, 1));
        }

        // A crash in the middle of the third line.
        await File.AppendAllTextAsync(Path.Combine(directory, "reports.jsonl"), "{\"Route\":\"api/transcoder/str", Encoding.UTF8);

        using var recovered = NewReports();
        Assert.Equal(2, recovered.Waiting.Count);
        Assert.Equal(Report(streamId, 0).Expired!.Paths, (await recovered.NextAsync(CancellationToken.None)).Expired!.Paths);
        recovered.Taken();
        recovered.Add(Report(streamId, 2));
        Assert.Equal(Report(streamId, 1).Expired!.Paths, (await recovered.NextAsync(CancellationToken.None)).Expired!.Paths);
        recovered.Taken();
        Assert.Equal(Report(streamId, 2).Expired!.Paths, (await recovered.NextAsync(CancellationToken.None)).Expired!.Paths);
    }

    private RetentionReports NewReports(long maxBytes = 1 << 20) => new(directory, maxBytes, NullLogger<RetentionReports>.Instance);

    private static RetentionReport Report(Guid streamId, int segment) =>
        new($"api/transcoder/streams/{streamId}/expired-media", new ExpiredMediaReport([$"live/{streamId}/240p/x-seg{segment}.m4s"], false));

    private async Task<List<string>> ScheduledAsync(Guid streamId)
    {
        await using var connection = await api.Database.OpenConnectionAsync();
        return (await connection.QueryAsync<string>("SELECT path FROM expired_media WHERE stream_id = @streamId", new { streamId })).AsList();
    }

}
