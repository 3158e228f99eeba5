using System.Reflection;
using Dapper;
using Npgsql;

namespace Nio.Api.Database;

/// <summary>Applies the embedded, numbered SQL migrations in order, once each.</summary>
public sealed partial class Migrator(NpgsqlDataSource dataSource, ILogger<Migrator> logger)
{
    // Any fixed number works; it only has to be the same in every Api instance.
    private const long MigrationLockKey = 0x4E494F_4D494752;

    public static IReadOnlyList<Migration> All { get; } = LoadEmbedded();

    public static int LatestVersion => All[^1].Version;

    public async Task MigrateAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenWithRetryAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        // Several instances may start at once: the advisory lock makes them apply migrations one at a time.
        await connection.ExecuteAsync(new CommandDefinition(
            "SELECT pg_advisory_xact_lock(@key)", new { key = MigrationLockKey }, transaction, cancellationToken: cancellationToken));
        await connection.ExecuteAsync(new CommandDefinition(
            """
            CREATE TABLE IF NOT EXISTS schema_migrations (
                version    integer PRIMARY KEY,
                name       text NOT NULL,
                applied_at timestamptz NOT NULL DEFAULT now()
            )
            """, transaction: transaction, cancellationToken: cancellationToken));
        var applied = (await connection.QueryAsync<int>(new CommandDefinition(
            "SELECT version FROM schema_migrations", transaction: transaction, cancellationToken: cancellationToken))).ToHashSet();

        foreach (var migration in All.Where(m => !applied.Contains(m.Version)))
        {
            await connection.ExecuteAsync(new CommandDefinition(migration.Sql, transaction: transaction, cancellationToken: cancellationToken));
            await connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO schema_migrations (version, name) VALUES (@Version, @Name)", migration, transaction, cancellationToken: cancellationToken));
            LogApplied(migration.Version, migration.Name);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>The highest applied version, or null when the schema table does not exist yet.</summary>
    public static async Task<int?> AppliedVersionAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var exists = await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
            "SELECT to_regclass('schema_migrations') IS NOT NULL", cancellationToken: cancellationToken));
        return exists
            ? await connection.ExecuteScalarAsync<int?>(new CommandDefinition("SELECT max(version) FROM schema_migrations", cancellationToken: cancellationToken))
            : null;
    }

    // In docker-compose the database may still be starting when the Api does.
    private async Task<NpgsqlConnection> OpenWithRetryAsync(CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            try
            {
                return await dataSource.OpenConnectionAsync(cancellationToken);
            }
            catch (NpgsqlException exception) when (DateTime.UtcNow < deadline && exception.IsTransient)
            {
                LogWaiting(exception.Message);
                await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
            }
        }
    }

    private static List<Migration> LoadEmbedded()
    {
        var assembly = Assembly.GetExecutingAssembly();
        const string prefix = "Nio.Api.Database.Migrations.";
        var migrations = new List<Migration>();
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith(prefix, StringComparison.Ordinal)))
        {
            var name = resource[prefix.Length..^".sql".Length];
            var version = int.Parse(name[..name.IndexOf('_')], System.Globalization.CultureInfo.InvariantCulture);
            using var reader = new StreamReader(assembly.GetManifestResourceStream(resource)!);
            migrations.Add(new Migration(version, name, reader.ReadToEnd()));
        }

        migrations.Sort((a, b) => a.Version.CompareTo(b.Version));
        if (migrations.Count == 0 || migrations.Select(m => m.Version).Distinct().Count() != migrations.Count)
        {
            throw new InvalidOperationException("Embedded migrations are missing or have duplicate version numbers.");
        }

        return migrations;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Applied migration {Version} ({Name})")]
    private partial void LogApplied(int version, string name);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Database not reachable yet, retrying: {Reason}")]
    private partial void LogWaiting(string reason);
}

public sealed record Migration(int Version, string Name, string Sql);
