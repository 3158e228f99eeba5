using Nio.Api.Payments;

namespace Nio.Api.Admin;

/// <summary>The operators' Api (see <c>Api/Admin/README.md</c>).</summary>
public static class AdminSetup
{
    public static void AddNioAdmin(this WebApplicationBuilder builder)
    {
        builder.Services.Configure<ServiceHealthOptions>(builder.Configuration.GetSection("ServiceHealth"));
        builder.Services.AddHttpClient<ServiceHealth>();
        builder.Services.AddSingleton<DailyFigures>();
        builder.Services.AddSingleton<PaymentRecords>();
    }

    public static void MapNioAdmin(this WebApplication app)
    {
        app.MapAdminUsersApi();
        app.MapAdminDashboardApi();
        app.MapAdminMoneyApi();
        app.MapAdminStreamsApi();
        app.MapAdminChatApi();
        app.MapAdminWithdrawalsApi();
        app.MapAdminGiftsApi();
        app.MapAdminAuditApi();
    }
}
