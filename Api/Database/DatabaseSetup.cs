using Dapper;
using Npgsql;

namespace Nio.Api.Database;

public static class DatabaseSetup
{
    /// <summary>Registers the PostgreSQL data source and migrates the schema before anything else starts.</summary>
    public static string AddNioDatabase(this WebApplicationBuilder builder)
    {
        var url = builder.Configuration["Database:Url"];
        if (string.IsNullOrWhiteSpace(url))
        {
            throw new InvalidOperationException("NIO_DATABASE_URL is not set: point it at PostgreSQL (./nio up starts a private cluster and sets it).");
        }

        DefaultTypeMap.MatchNamesWithUnderscores = true;
        var connectionString = DatabaseUrl.ToConnectionString(url);
        builder.Services.AddSingleton(_ => NpgsqlDataSource.Create(connectionString));
        builder.Services.AddSingleton<Migrator>();
        builder.Services.AddHostedService<MigrationService>();
        builder.Services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database");
        return connectionString;
    }

    private sealed class MigrationService(Migrator migrator) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => migrator.MigrateAsync(cancellationToken);

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
