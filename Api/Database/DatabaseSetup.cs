using System.Data;
using System.Text.Json;
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
        SqlMapper.AddTypeHandler(new JsonElementHandler());
        var connectionString = WithDefaults(DatabaseUrl.ToConnectionString(url), builder.Configuration.GetValue("Database:MaxPoolSize", DefaultMaxPoolSize));
        builder.Services.AddSingleton(_ => NpgsqlDataSource.Create(connectionString));
        builder.Services.AddSingleton<Migrator>();
        builder.Services.AddHostedService<MigrationService>();
        builder.Services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database");
        return connectionString;
    }

    /// <summary>
    /// Connections one Api instance opens at most. Requests beyond wait for a free one (up to the connection timeout)
    /// instead of pushing PostgreSQL past its own limit (100 by default), which would fail them.
    /// </summary>
    public const int DefaultMaxPoolSize = 40;

    /// <summary>
    /// The pool limit, and statements prepared once they repeat (the same few run for every chat message and gift),
    /// unless the connection string sets them itself.
    /// </summary>
    public static string WithDefaults(string connectionString, int maxPoolSize)
    {
        var parsed = new NpgsqlConnectionStringBuilder(connectionString);
        if (!Names(connectionString, "Maximum Pool Size", "MaxPoolSize"))
        {
            parsed.MaxPoolSize = maxPoolSize;
        }

        if (!Names(connectionString, "Max Auto Prepare", "MaxAutoPrepare"))
        {
            parsed.MaxAutoPrepare = 64;
        }

        return parsed.ConnectionString;
    }

    private static bool Names(string connectionString, params string[] keys) =>
        keys.Any(key => connectionString.Contains(key, StringComparison.OrdinalIgnoreCase));

    private sealed class MigrationService(Migrator migrator) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => migrator.MigrateAsync(cancellationToken);

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }

    /// <summary>jsonb columns read as text (<c>column::text</c>) and handed out as JSON, so their shape reaches clients unchanged.</summary>
    private sealed class JsonElementHandler : SqlMapper.TypeHandler<JsonElement>
    {
        public override JsonElement Parse(object value) => JsonDocument.Parse((string)value).RootElement.Clone();

        public override void SetValue(IDbDataParameter parameter, JsonElement value) => parameter.Value = value.GetRawText();
    }
}
