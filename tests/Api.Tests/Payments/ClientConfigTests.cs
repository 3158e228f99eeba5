using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Nio.TestSupport;

namespace Nio.Api.Tests.Payments;

public sealed class ClientConfigTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    [Fact]
    public async Task Config_without_stripe_keys_says_no_payment_provider_is_on()
    {
        var response = await api.CreateClient().GetAsync("/api/config");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var config = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(JsonValueKind.Null, config.GetProperty("stripePublishableKey").ValueKind);
        Assert.False(config.GetProperty("stripe").GetBoolean());
        Assert.False(config.GetProperty("paypal").GetBoolean());
    }
}
