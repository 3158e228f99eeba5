namespace Nio.Api.Hosting;

/// <summary>The Api's documented environment variables and the configuration keys they set.</summary>
public static class ApiEnvironment
{
    public static readonly IReadOnlyDictionary<string, string> Aliases = new Dictionary<string, string>
    {
        ["PORT"] = "Http:Port",
        ["NIO_HOST"] = "Http:Host",
        ["NIO_TRUSTED_PROXIES"] = TrustedProxies.Setting,
        ["NIO_DATA_DIR"] = "DataDir",
        ["NIO_DATABASE_URL"] = "Database:Url",
        ["JWT_SECRET"] = "Jwt:Secret",
        ["NIO_API_INTERNAL_PORT"] = "Http:InternalPort",
        ["NIO_INGEST_TO_API_SECRET"] = "Ingest:Secret",
        ["NIO_TRANSCODER_TO_API_SECRET"] = "Transcoder:Secret",
        ["NIO_ADMIN_EMAIL"] = "AdminAccount:Email",
        ["NIO_ADMIN_PASSWORD"] = "AdminAccount:Password",
        ["NIO_ADMIN_PROMOTE_EXISTING"] = "AdminAccount:PromoteExisting",
        ["NIO_RTMP_URL"] = "MediaUrls:Rtmp",
        ["NIO_WHIP_URL"] = "MediaUrls:Whip",
        ["NIO_PLAYBACK_URL"] = "MediaUrls:Playback",
        ["NIO_WEB_ROOT"] = "Web:Root",
        ["NIO_RETENTION_GRACE_SECONDS"] = "Retention:GraceSeconds",
        ["NIO_REDIS_URL"] = "Redis:Url",
        ["NIO_API_HEALTH_URL"] = "ServiceHealth:Api",
        ["NIO_ORIGIN_HEALTH_URL"] = "ServiceHealth:Origin",
        ["NIO_INGEST_HEALTH_URL"] = "ServiceHealth:Ingest",
        ["NIO_TRANSCODER_HEALTH_URL"] = "ServiceHealth:Transcoder",
        ["STRIPE_SECRET_KEY"] = "Payments:StripeSecretKey",
        ["STRIPE_PUBLISHABLE_KEY"] = "Payments:StripePublishableKey",
        ["STRIPE_WEBHOOK_SECRET"] = "Payments:StripeWebhookSecret",
        ["PAYPAL_CLIENT_ID"] = "Payments:PayPalClientId",
        ["PAYPAL_CLIENT_SECRET"] = "Payments:PayPalClientSecret",
    };
}
