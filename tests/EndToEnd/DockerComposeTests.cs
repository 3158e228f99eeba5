using Nio.TestSupport;

namespace Nio.EndToEnd;

/// <summary>No container engine runs here, so docker-compose.yml is checked the way Compose itself reads it.</summary>
public sealed class DockerComposeTests
{
    private static readonly Dictionary<string, string?> Passwords = new()
    {
        ["POSTGRES_PASSWORD"] = "pg-password",
        ["MINIO_ROOT_PASSWORD"] = "minio-password",
        ["TURN_SECRET"] = "turn-secret",
        ["NIO_S3_SECRET_KEY"] = "media-user-secret",
        ["NIO_INGEST_TO_API_SECRET"] = "ingest-to-api-secret",
        ["NIO_TRANSCODER_TO_API_SECRET"] = "transcoder-to-api-secret",
        ["NIO_TRANSCODER_TO_INGEST_SECRET"] = "transcoder-to-ingest-secret",
        ["NIO_TRANSCODER_TO_ORIGIN_SECRET"] = "transcoder-to-origin-secret",
    };

    [Fact]
    public async Task The_compose_file_is_valid_and_runs_the_whole_topology()
    {
        var (exitCode, output, error) = await TestHost.RunAsync("docker-compose", ["-f", "docker-compose.yml", "config", "--services"], Passwords);

        Assert.True(exitCode == 0, error);
        var services = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Order();
        Assert.Equal(new[] { "admin", "api", "coturn", "ingest", "minio", "minio-init", "origin", "postgres", "redis", "transcoder" }.Order(), services);
    }

    [Fact]
    public async Task Every_built_service_has_its_dockerfile_and_reaches_the_database()
    {
        var (exitCode, output, error) = await TestHost.RunAsync("docker-compose", ["-f", "docker-compose.yml", "config"], Passwords);

        Assert.True(exitCode == 0, error);
        var dockerfiles = output.Split('\n').Select(l => l.Trim()).Where(l => l.StartsWith("dockerfile:", StringComparison.Ordinal))
            .Select(l => l.Split(':', 2)[1].Trim()).ToList();
        Assert.Equal(["Admin/Dockerfile", "Api/Dockerfile", "Ingest/Dockerfile", "Origin/Dockerfile", "Transcoder/Dockerfile"], dockerfiles.Order());
        Assert.All(dockerfiles, d => Assert.True(File.Exists(Path.Combine(TestHost.RepositoryRoot(), d)), $"{d} is named but missing"));
        Assert.Contains("NIO_DATABASE_URL: postgres://nio:pg-password@postgres:5432/nio", output);
    }

    [Theory]
    [InlineData("POSTGRES_PASSWORD")]
    [InlineData("MINIO_ROOT_PASSWORD")]
    [InlineData("TURN_SECRET")]
    [InlineData("NIO_S3_SECRET_KEY")]
    [InlineData("NIO_INGEST_TO_API_SECRET")]
    [InlineData("NIO_TRANSCODER_TO_API_SECRET")]
    [InlineData("NIO_TRANSCODER_TO_INGEST_SECRET")]
    [InlineData("NIO_TRANSCODER_TO_ORIGIN_SECRET")]
    public async Task There_is_no_default_password(string missing)
    {
        var environment = new Dictionary<string, string?>(Passwords) { [missing] = null };

        var (exitCode, _, error) = await TestHost.RunAsync("docker-compose", ["-f", "docker-compose.yml", "config", "-q"], environment);

        Assert.NotEqual(0, exitCode);
        Assert.Contains($"set {missing}", error);
    }

    [Fact]
    public async Task Only_the_public_ports_are_published_rtmp_and_whip_among_them_not_the_internal_listeners_nor_minio()
    {
        var services = await ServicesAsync();

        var published = services.ToDictionary(service => service.Key, service => PublishedPorts(service.Value).Order().ToArray());
        Assert.Equal(
            new Dictionary<string, int[]>
            {
                ["admin"] = [5001], ["api"] = [5000], ["coturn"] = [3478, 3478], ["ingest"] = [1935, 8081, 8189], ["minio"] = [], ["minio-init"] = [], ["origin"] = [8080],
                ["postgres"] = [], ["redis"] = [], ["transcoder"] = [],
            },
            published);
    }

    [Fact]
    public async Task The_minio_root_keys_stay_with_minio_and_its_init_job()
    {
        var services = await ServicesAsync();

        var holders = services.Where(service => service.Value.Contains(Passwords["MINIO_ROOT_PASSWORD"]!, StringComparison.Ordinal)).Select(service => service.Key);
        Assert.Equal(["minio", "minio-init"], holders.Order());
        // The services store media as the bucket's own user.
        Assert.All(["api", "origin", "transcoder"], name => Assert.Contains("NIO_S3_ACCESS_KEY: nio-services", services[name]));
    }

    [Fact]
    public async Task Each_service_gets_only_the_secrets_it_presents_or_checks_and_only_the_api_mounts_the_api_data()
    {
        var services = await ServicesAsync();

        var expected = new Dictionary<string, string[]>
        {
            ["NIO_INGEST_TO_API_SECRET"] = ["api", "ingest"],
            ["NIO_TRANSCODER_TO_API_SECRET"] = ["api", "transcoder"],
            ["NIO_TRANSCODER_TO_INGEST_SECRET"] = ["ingest", "transcoder"],
            ["NIO_TRANSCODER_TO_ORIGIN_SECRET"] = ["origin", "transcoder"],
        };
        foreach (var (variable, holders) in expected)
        {
            Assert.Equal(holders, services.Where(service => service.Value.Contains(Passwords[variable]!, StringComparison.Ordinal)).Select(service => service.Key).Order());
        }

        Assert.Equal(["api"], services.Where(service => service.Value.Contains("api-data:", StringComparison.Ordinal)).Select(service => service.Key));
    }

    /// <summary>Each service's part of the configuration as Compose resolves it (its lines under <c>services:</c>).</summary>
    private static async Task<Dictionary<string, string>> ServicesAsync()
    {
        var (exitCode, output, error) = await TestHost.RunAsync("docker-compose", ["-f", "docker-compose.yml", "config"], Passwords);
        Assert.True(exitCode == 0, error);
        var services = new Dictionary<string, string>();
        string? current = null;
        foreach (var line in output.Split('\n').SkipWhile(line => line != "services:").Skip(1).TakeWhile(line => line.Length == 0 || line[0] == ' '))
        {
            if (line.Length > 2 && line[2] != ' ')
            {
                current = line.Trim().TrimEnd(':');
                services[current] = "";
            }
            else if (current is not null)
            {
                services[current] += line + "\n";
            }
        }

        return services;
    }

    /// <summary>The host ports a service's <c>ports:</c> publish (Compose writes each as <c>published: N</c>, some as a list item's first key).</summary>
    private static IEnumerable<int> PublishedPorts(string service) =>
        service.Split('\n').Select(line => line.Trim().TrimStart('-', ' ')).Where(line => line.StartsWith("published: ", StringComparison.Ordinal))
            .Select(line => int.Parse(line["published: ".Length..], System.Globalization.CultureInfo.InvariantCulture));
}
