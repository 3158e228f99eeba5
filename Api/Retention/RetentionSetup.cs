using Nio.Shared.Hosting;
using Nio.Shared.Storage;

namespace Nio.Api.Retention;

public static class RetentionSetup
{
    /// <summary>The media store (configured like the other services' — <c>NIO_STORAGE</c>…) and what deletes from it.</summary>
    public static void AddNioRetention(this WebApplicationBuilder builder, DataFolder dataFolder)
    {
        builder.Services.Configure<RetentionOptions>(builder.Configuration.GetSection("Retention"));
        builder.Services.AddNioMediaStore(builder.Configuration, dataFolder);
        builder.Services.AddSingleton<ExpiredMedia>();
        builder.Services.AddSingleton<MediaRetentionSweeper>();
    }
}
