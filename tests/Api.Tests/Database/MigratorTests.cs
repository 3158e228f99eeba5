using Dapper;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Nio.Api.Database;
using Nio.TestSupport;

namespace Nio.Api.Tests.Database;

public sealed class MigratorTests
{
    [Fact]
    public async Task Concurrent_migrators_apply_each_migration_exactly_once()
    {
        var connectionString = await (await PostgresCluster.GetAsync()).CreateDatabaseAsync();
        await using var dataSource = NpgsqlDataSource.Create(connectionString);

        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ =>
            new Migrator(dataSource, NullLogger<Migrator>.Instance).MigrateAsync(CancellationToken.None)));

        await using var connection = await dataSource.OpenConnectionAsync();
        var versions = (await connection.QueryAsync<int>("SELECT version FROM schema_migrations ORDER BY version")).ToList();
        Assert.Equal(Migrator.All.Select(m => m.Version), versions);
        Assert.Equal(Migrator.LatestVersion, await Migrator.AppliedVersionAsync(connection, CancellationToken.None));
    }

    [Fact]
    public async Task An_empty_database_reports_no_applied_version()
    {
        var connectionString = await (await PostgresCluster.GetAsync()).CreateDatabaseAsync();
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();

        Assert.Null(await Migrator.AppliedVersionAsync(connection, CancellationToken.None));
    }
}
