using System.Net;
using System.Text.Json;
using Nio.TestSupport;

namespace Nio.Api.Tests.Hosting;

public sealed class HostingTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    [Fact]
    public async Task Healthz_checks_the_database_and_the_migrations()
    {
        var response = await api.CreateClient().GetAsync("/healthz");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var health = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("Healthy", health.GetProperty("status").GetString());
        var database = health.GetProperty("checks").GetProperty("database");
        Assert.Equal(database.GetProperty("data").GetProperty("expectedMigration").GetInt32(), database.GetProperty("data").GetProperty("migration").GetInt32());
    }

    [Fact]
    public async Task The_openapi_document_lists_every_public_route_and_the_docs_page_serves()
    {
        var document = JsonDocument.Parse(await api.CreateClient().GetStringAsync("/openapi/v1.json")).RootElement;
        var paths = document.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToHashSet();

        string[] expected =
        [
            "/api/auth/register", "/api/auth/login", "/api/auth/refresh", "/api/auth/logout", "/api/auth/me",
            "/api/users/me", "/api/users/me/following", "/api/users/{id}", "/api/users/{id}/follow",
            "/api/streams", "/api/streams/{id}", "/api/streams/{id}/end", "/api/streams/{id}/key/rotate",
            "/api/ingest/authorize", "/api/ingest/streams/{id}/live", "/api/ingest/streams/{id}/offline",
            "/api/transcoder/streams/{id}/thumbnail",
        ];
        Assert.All(expected, path => Assert.Contains(path, paths));

        var docs = await api.CreateClient().GetAsync("/docs/index.html");
        Assert.Equal(HttpStatusCode.OK, docs.StatusCode);
    }

    [Fact]
    public async Task Unknown_routes_are_404_problems()
    {
        await (await api.CreateClient().GetAsync("/api/nothing-here")).AssertProblemAsync(HttpStatusCode.NotFound);
    }
}
