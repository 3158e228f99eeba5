using Hangfire;
using Hangfire.Dashboard;
using Hangfire.PostgreSql;
using Hangfire.PostgreSql.Factories;
using Nio.Api.Auth;
using Nio.Api.Retention;

namespace Nio.Api.Jobs;

/// <summary>Background jobs on Hangfire with PostgreSQL storage (section <c>Jobs</c>).</summary>
public sealed class JobsOptions
{
    /// <summary>Run a Hangfire server in this process; several Api instances share the work through the database.</summary>
    public bool RunServer { get; set; } = true;

    public int WorkerCount { get; set; } = 2;

    public string ReaperSchedule { get; set; } = Cron.Minutely();

    public string RetentionSchedule { get; set; } = Cron.Minutely();

    /// <summary>When the dashboard's figures of the finished days are counted (UTC; a few minutes after midnight).</summary>
    public string DailyFiguresSchedule { get; set; } = "5 0 * * *";
}

public static class JobsSetup
{
    public const string DashboardPath = "/hangfire";

    public static void AddNioJobs(this WebApplicationBuilder builder, string connectionString)
    {
        var options = builder.Configuration.GetSection("Jobs").Get<JobsOptions>() ?? new JobsOptions();
        builder.Services.Configure<JobsOptions>(builder.Configuration.GetSection("Jobs"));
        builder.Services.AddSingleton<StaleStreamReaper>();
        builder.Services.AddHostedService<RecurringJobsRegistrar>();
        // The storage is this host's own service rather than Hangfire's process-wide JobStorage.Current, so that
        // several hosts in one process (the test suite) never enqueue into each other's databases.
        builder.Services.AddSingleton<JobStorage>(_ => new PostgreSqlStorage(
            new NpgsqlConnectionFactory(connectionString, new PostgreSqlStorageOptions()), new PostgreSqlStorageOptions()));
        builder.Services.AddHangfire(hangfire => hangfire
            .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
            .UseSimpleAssemblyNameTypeSerializer()
            .UseRecommendedSerializerSettings());
        if (options.RunServer)
        {
            builder.Services.AddHangfireServer(server => server.WorkerCount = options.WorkerCount);
        }
    }

    public static void UseNioJobs(this WebApplication app)
    {
        // Runs after authorization: an admin who came with ?access_token= gets it as a cookie scoped to the
        // dashboard and is redirected, so the token leaves the address bar and the dashboard's own requests carry it.
        app.Use(async (context, next) =>
        {
            if (context.Request.Path.StartsWithSegments(DashboardPath) && context.Request.Query.TryGetValue("access_token", out var token))
            {
                context.Response.Cookies.Append(AuthSetup.DashboardCookie, token.ToString(), new CookieOptions
                {
                    HttpOnly = true,
                    SameSite = SameSiteMode.Strict,
                    Path = DashboardPath,
                    Secure = context.Request.IsHttps,
                });
                context.Response.Redirect(DashboardPath);
                return;
            }

            await next();
        });
        app.MapHangfireDashboard(DashboardPath, new DashboardOptions { Authorization = [], AppPath = null })
            .RequireAuthorization(AuthSetup.AdminPolicy);
    }
}

/// <summary>Registers the recurring jobs once the database is migrated (hosted services start in registration order).</summary>
public sealed class RecurringJobsRegistrar(IRecurringJobManager jobs, Microsoft.Extensions.Options.IOptions<JobsOptions> options) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        jobs.AddOrUpdate<StaleStreamReaper>(StaleStreamReaper.JobId, reaper => reaper.RunAsync(CancellationToken.None), options.Value.ReaperSchedule);
        jobs.AddOrUpdate<MediaRetentionSweeper>(MediaRetentionSweeper.JobId, sweeper => sweeper.RunAsync(CancellationToken.None), options.Value.RetentionSchedule);
        jobs.AddOrUpdate<Admin.DailyFigures>(Admin.DailyFigures.JobId, figures => figures.RollUpAsync(CancellationToken.None), options.Value.DailyFiguresSchedule);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
