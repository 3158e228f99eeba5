using Dapper;
using Npgsql;
using Nio.Api.Database;


namespace Nio.TestSupport;

/// <summary>
/// One real PostgreSQL server for the whole test run: the private cluster that <c>./nio db start</c> makes (or the
/// server in <c>NIO_TEST_DATABASE_URL</c>). Every test class gets a database of its own on it.
/// </summary>
public sealed class PostgresCluster
{
    private static readonly Lazy<Task<PostgresCluster>> Shared = new(StartAsync);

    private readonly string adminConnectionString;

    private PostgresCluster(string adminConnectionString) => this.adminConnectionString = adminConnectionString;

    public static Task<PostgresCluster> GetAsync() => Shared.Value;

    public async Task<string> CreateDatabaseAsync()
    {
        var name = "test_" + Guid.NewGuid().ToString("N");
        await using (var connection = new NpgsqlConnection(adminConnectionString))
        {
            await connection.ExecuteAsync($"CREATE DATABASE {name}");
        }

        return new NpgsqlConnectionStringBuilder(adminConnectionString) { Database = name }.ConnectionString;
    }

    private static async Task<PostgresCluster> StartAsync()
    {
        var external = Environment.GetEnvironmentVariable("NIO_TEST_DATABASE_URL");
        if (!string.IsNullOrEmpty(external))
        {
            return new PostgresCluster(DatabaseUrl.ToConnectionString(external));
        }

        var dataDir = Path.Combine(Path.GetTempPath(), "nio-tests-" + Guid.NewGuid().ToString("N")[..12]);
        var url = await RunNioAsync("db", "start", dataDir, TestHost.FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture));
        // One child process stops the server and removes its files, so it finishes even if the test host is torn down.
        AppDomain.CurrentDomain.ProcessExit += (_, _) => RunNioAsync("db", "destroy", dataDir).GetAwaiter().GetResult();
        return new PostgresCluster(DatabaseUrl.ToConnectionString(url.Trim()));
    }

    private static async Task<string> RunNioAsync(params string[] arguments)
    {
        var (exitCode, output, error) = await TestHost.RunAsync("bash", ["nio", .. arguments]);
        return exitCode == 0 ? output : throw new InvalidOperationException($"./nio {string.Join(' ', arguments)} failed: {error}");
    }
}
