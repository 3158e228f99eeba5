using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Dapper;
using Npgsql;
using Nio.Api.Database;

namespace Nio.Api.Tests.Infrastructure;

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
        var url = await RunNioAsync("db", "start", dataDir, FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture));
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            RunNioAsync("db", "stop", dataDir).GetAwaiter().GetResult();
            Directory.Delete(dataDir, recursive: true);
        };
        return new PostgresCluster(DatabaseUrl.ToConnectionString(url.Trim()));
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Nio.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("Nio.sln not found above " + AppContext.BaseDirectory);
    }

    private static async Task<string> RunNioAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(RepositoryRoot(), "nio"));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"./nio {string.Join(' ', arguments)} failed: {await error}");
        }

        return await output;
    }
}
