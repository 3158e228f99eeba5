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
    };

    [Fact]
    public async Task The_compose_file_is_valid_and_runs_the_whole_topology()
    {
        var (exitCode, output, error) = await TestHost.RunAsync("docker-compose", ["-f", "docker-compose.yml", "config", "--services"], Passwords);

        Assert.True(exitCode == 0, error);
        var services = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Order();
        Assert.Equal(new[] { "api", "coturn", "ingest", "minio", "origin", "postgres", "redis", "transcoder" }.Order(), services);
    }

    [Fact]
    public async Task Every_built_service_has_its_dockerfile_and_reaches_the_database()
    {
        var (exitCode, output, error) = await TestHost.RunAsync("docker-compose", ["-f", "docker-compose.yml", "config"], Passwords);

        Assert.True(exitCode == 0, error);
        var dockerfiles = output.Split('\n').Select(l => l.Trim()).Where(l => l.StartsWith("dockerfile:", StringComparison.Ordinal))
            .Select(l => l.Split(':', 2)[1].Trim()).ToList();
        Assert.Equal(["Api/Dockerfile", "Ingest/Dockerfile", "Origin/Dockerfile", "Transcoder/Dockerfile"], dockerfiles.Order());
        Assert.All(dockerfiles, d => Assert.True(File.Exists(Path.Combine(TestHost.RepositoryRoot(), d)), $"{d} is named but missing"));
        Assert.Contains("NIO_DATABASE_URL: postgres://nio:pg-password@postgres:5432/nio", output);
    }

    [Theory]
    [InlineData("POSTGRES_PASSWORD")]
    [InlineData("MINIO_ROOT_PASSWORD")]
    [InlineData("TURN_SECRET")]
    public async Task There_is_no_default_password(string missing)
    {
        var environment = new Dictionary<string, string?>(Passwords) { [missing] = null };

        var (exitCode, _, error) = await TestHost.RunAsync("docker-compose", ["-f", "docker-compose.yml", "config", "-q"], environment);

        Assert.NotEqual(0, exitCode);
        Assert.Contains($"set {missing}", error);
    }
}
