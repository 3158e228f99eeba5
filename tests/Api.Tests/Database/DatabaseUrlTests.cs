using Npgsql;
using Nio.Api.Database;

namespace Nio.Api.Tests.Database;

public sealed class DatabaseUrlTests
{
    [Fact]
    public void A_postgres_uri_becomes_a_connection_string()
    {
        var builder = new NpgsqlConnectionStringBuilder(DatabaseUrl.ToConnectionString("postgres://nio:p%40ss%3Aword@db.internal:6543/nio_prod?sslmode=require"));

        Assert.Equal(("db.internal", 6543, "nio_prod", "nio", "p@ss:word", SslMode.Require),
            (builder.Host, builder.Port, builder.Database, builder.Username, builder.Password, builder.SslMode));
    }

    [Fact]
    public void The_port_defaults_to_5432_and_postgresql_scheme_is_accepted()
    {
        var builder = new NpgsqlConnectionStringBuilder(DatabaseUrl.ToConnectionString("postgresql://app@localhost/app"));

        Assert.Equal(("localhost", 5432, "app", "app", null), (builder.Host, builder.Port, builder.Database, builder.Username, builder.Password));
    }

    [Fact]
    public void A_connection_string_passes_through()
    {
        var builder = new NpgsqlConnectionStringBuilder(DatabaseUrl.ToConnectionString("Host=h;Port=1;Database=d;Username=u"));

        Assert.Equal(("h", 1, "d", "u"), (builder.Host, builder.Port, builder.Database, builder.Username));
    }

    [Fact]
    public void Garbage_is_rejected()
    {
        Assert.ThrowsAny<ArgumentException>(() => DatabaseUrl.ToConnectionString("this is not a database"));
    }
}
