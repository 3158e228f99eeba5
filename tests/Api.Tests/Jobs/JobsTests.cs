using System.Net;
using System.Net.Http.Json;
using Dapper;
using Hangfire;
using Hangfire.Storage;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Nio.Api.Jobs;
using Nio.Api.Retention;
using Nio.Api.Streams;
using Nio.TestSupport;

namespace Nio.Api.Tests.Jobs;

/// <summary>This class runs a real Hangfire server against PostgreSQL, polling often so jobs start quickly.</summary>
public sealed class JobServerApiFactory : ApiFactory
{
    protected override Dictionary<string, string?> Settings
    {
        get
        {
            var settings = base.Settings;
            settings["Jobs:RunServer"] = "true";
            settings["Streams:HeartbeatTimeoutSeconds"] = "5";
            return settings;
        }
    }
}

/// <summary>
/// Hangfire keeps part of its configuration process-wide (the job activator among it), so the one class that runs a
/// Hangfire server runs alone, after the other test hosts are gone; in production each process has one host.
/// </summary>
[CollectionDefinition(nameof(JobsTests), DisableParallelization = true)]
public sealed class JobsCollection;

[Collection(nameof(JobsTests))]
public sealed class JobsTests(JobServerApiFactory api) : IClassFixture<JobServerApiFactory>
{
    [Fact]
    public void The_reaper_is_registered_as_a_recurring_job()
    {
        _ = api.Server;
        using var connection = api.Services.GetRequiredService<JobStorage>().GetConnection();
        var job = Assert.Single(connection.GetRecurringJobs(), j => j.Id == StaleStreamReaper.JobId);
        Assert.Equal(Cron.Minutely(), job.Cron);
    }

    [Fact]
    public void The_media_retention_job_is_registered_to_run_every_minute()
    {
        _ = api.Server;
        using var connection = api.Services.GetRequiredService<JobStorage>().GetConnection();
        var job = Assert.Single(connection.GetRecurringJobs(), j => j.Id == MediaRetentionSweeper.JobId);
        Assert.Equal(Cron.Minutely(), job.Cron);
    }

    [Fact]
    public async Task The_reaper_run_by_hangfire_takes_silent_streams_offline_and_spares_fresh_ones()
    {
        var (_, silent) = await api.CreateStreamAsync("silent");
        var (_, fresh) = await api.CreateStreamAsync("fresh");
        await api.GoLiveAsync(silent);
        await api.GoLiveAsync(fresh);
        await using (var connection = await api.Database.OpenConnectionAsync())
        {
            await connection.ExecuteAsync("UPDATE streams SET last_heartbeat_at = now() - interval '1 minute' WHERE id = @Id", new { silent.Id });
        }

        api.Services.GetRequiredService<IRecurringJobManager>().Trigger(StaleStreamReaper.JobId);

        var deadline = DateTime.UtcNow.AddSeconds(60);
        string? status;
        do
        {
            await Task.Delay(250);
            status = (await api.CreateClient().GetFromJsonAsync<StreamView>($"/api/streams/{silent.Id}"))!.Status;
        }
        while (status != StreamStatus.Offline && DateTime.UtcNow < deadline);

        Assert.Equal(StreamStatus.Offline, status);
        Assert.Equal(StreamStatus.Live, (await api.CreateClient().GetFromJsonAsync<StreamView>($"/api/streams/{fresh.Id}"))!.Status);
    }

    [Fact]
    public async Task The_dashboard_is_for_admins_only()
    {
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.ClientWithToken(null).GetAsync("/hangfire")).StatusCode);
        var user = await api.RegisterAsync();
        Assert.Equal(HttpStatusCode.Forbidden, (await api.ClientWithToken(user.AccessToken).GetAsync("/hangfire")).StatusCode);

        var admin = await api.LoginAdminAsync();
        Assert.Equal(HttpStatusCode.OK, (await api.ClientWithToken(admin.AccessToken).GetAsync("/hangfire")).StatusCode);
    }

    [Fact]
    public async Task A_browser_opens_the_dashboard_with_an_access_token_link_that_becomes_a_cookie()
    {
        var admin = await api.LoginAdminAsync();
        var browser = api.ClientWithToken(null);

        var link = await browser.GetAsync($"/hangfire?access_token={admin.AccessToken}");
        Assert.Equal(HttpStatusCode.Redirect, link.StatusCode);
        var cookie = Assert.Single(link.Headers.GetValues("Set-Cookie"));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("path=/hangfire", cookie, StringComparison.OrdinalIgnoreCase);

        // The client keeps cookies like a browser: the dashboard's next page needs no token in the address.
        var page = await browser.GetAsync("/hangfire/recurring");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains(StaleStreamReaper.JobId, await page.Content.ReadAsStringAsync());

        var stranger = api.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = false, AllowAutoRedirect = false });
        var forged = new HttpRequestMessage(HttpMethod.Get, "/hangfire/recurring");
        forged.Headers.Add("Cookie", "nio_dashboard_token=forged");
        Assert.Equal(HttpStatusCode.Unauthorized, (await stranger.SendAsync(forged)).StatusCode);
    }
}
