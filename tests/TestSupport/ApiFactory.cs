using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Nio.Api.Auth;
using Nio.Api.Streams;

namespace Nio.TestSupport;

/// <summary>The real Api in process, on a fresh database of the shared PostgreSQL server.</summary>
public class ApiFactory : WebApplicationFactory<Program>, IAsyncLifetime
{
    public const string JwtSecret = "test-jwt-secret-that-is-long-enough-0123456789";
    /// <summary>The Ingest's secret for the Api's internal routes.</summary>
    public const string IngestSecret = "test-ingest-secret";

    /// <summary>The Transcoder's secret for the Api's internal routes.</summary>
    public const string TranscoderSecret = "test-transcoder-secret";
    public const string AdminEmail = "admin@nio.test";
    public const string AdminPassword = "admin-password-1";

    private readonly string dataDir = Path.Combine(Path.GetTempPath(), "nio-api-tests-" + Guid.NewGuid().ToString("N")[..12]);
    private string connectionString = "";

    public NpgsqlDataSource Database => Services.GetRequiredService<NpgsqlDataSource>();

    /// <summary>The Api's internal listener, where the Ingest's and the Transcoder's routes answer.</summary>
    public int InternalPort { get; } = TestHost.FreePort();

    /// <summary>Settings a test class may override; the defaults keep rate limits out of the way and no job server running.</summary>
    protected virtual Dictionary<string, string?> Settings => new()
    {
        ["Jwt:Secret"] = JwtSecret,
        ["Ingest:Secret"] = IngestSecret,
        ["Transcoder:Secret"] = TranscoderSecret,
        ["Http:InternalPort"] = InternalPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["AdminAccount:Email"] = AdminEmail,
        ["AdminAccount:Password"] = AdminPassword,
        ["RateLimits:LoginAttemptsPerMinute"] = "100000",
        ["RateLimits:RegistrationsPerMinute"] = "100000",
        ["RateLimits:FailedLoginsPerAccount"] = "100000",
        ["Jobs:RunServer"] = "false",
    };

    public virtual async Task InitializeAsync() => connectionString = await (await PostgresCluster.GetAsync()).CreateDatabaseAsync();

    async Task IAsyncLifetime.DisposeAsync()
    {
        await base.DisposeAsync();
        if (Directory.Exists(dataDir))
        {
            Directory.Delete(dataDir, recursive: true);
        }
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Database:Url", connectionString);
        builder.UseSetting("DataDir", dataDir);
        foreach (var (key, value) in Settings)
        {
            builder.UseSetting(key, value);
        }
    }

    public HttpClient ClientWithToken(string? accessToken)
    {
        var client = NewClient();
        if (accessToken is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        }

        return client;
    }

    /// <summary>A client of the Api that does not follow redirects.</summary>
    protected virtual HttpClient NewClient() => CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

    /// <summary>A client of the internal listener presenting <paramref name="secret"/> (none when null).</summary>
    public HttpClient InternalClientWithToken(string? secret)
    {
        var client = NewInternalClient();
        if (secret is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", secret);
        }

        return client;
    }

    /// <summary>What the Ingest calls the Api with.</summary>
    public HttpClient IngestClient() => InternalClientWithToken(IngestSecret);

    /// <summary>What the Transcoder calls the Api with.</summary>
    public HttpClient TranscoderClient() => InternalClientWithToken(TranscoderSecret);

    /// <summary>The in-process server as reached on its internal listener: what other services' HTTP clients are given.</summary>
    public virtual HttpMessageHandler InternalHandler() => Server.CreateHandler(context => context.Connection.LocalPort = InternalPort);

    /// <summary>The internal listener's URL as other services are configured with it (with <see cref="InternalHandler"/>).</summary>
    public virtual string InternalUrl => "http://api.test";

    protected virtual HttpClient NewInternalClient() => new(InternalHandler()) { BaseAddress = Server.BaseAddress };

    /// <summary>Registers a new user with a unique email and returns the session.</summary>
    public async Task<AuthResponse> RegisterAsync(string? displayName = null)
    {
        var email = $"user-{Guid.NewGuid():N}@example.com";
        var response = await NewClient().PostAsJsonAsync("/api/auth/register",
            new { email, password = "password-123", displayName = displayName ?? "Viewer" });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<AuthResponse>())!;
    }

    public async Task<AuthResponse> LoginAdminAsync()
    {
        var response = await NewClient().PostAsJsonAsync("/api/auth/login", new { email = AdminEmail, password = AdminPassword });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<AuthResponse>())!;
    }

    /// <summary>A signed-in streamer with a freshly created stream.</summary>
    public async Task<(AuthResponse Streamer, StreamCredentials Stream)> CreateStreamAsync(string title = "Test stream", bool record = false)
    {
        var streamer = await RegisterAsync("Streamer");
        var response = await ClientWithToken(streamer.AccessToken).PostAsJsonAsync("/api/streams", new { title, record });
        response.EnsureSuccessStatusCode();
        return (streamer, (await response.Content.ReadFromJsonAsync<StreamCredentials>())!);
    }

    /// <summary>What the Ingest does when a publisher starts: the stream becomes live.</summary>
    public async Task GoLiveAsync(StreamCredentials stream)
    {
        var response = await IngestClient().PostAsJsonAsync($"/api/ingest/streams/{stream.Id}/live", new { streamKey = stream.StreamKey });
        response.EnsureSuccessStatusCode();
    }
}
