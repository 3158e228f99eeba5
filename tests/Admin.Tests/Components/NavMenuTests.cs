using Bunit;
using Nio.Admin.Auth;
using Nio.Admin.Components.Layout;

namespace Nio.Admin.Tests.Components;

public sealed class NavMenuTests : PanelComponentTest
{
    private static readonly string[] Everyone = ["Dashboard", "Users", "Streams", "Chat"];
    private static readonly string[] AdminsOnly = ["Balances", "Payments", "Withdrawals", "Gifts", "Audit log"];

    [Fact]
    public void A_moderator_sees_users_streams_and_chat_but_no_money_pages_and_no_audit_log()
    {
        Roles = ["user", OperatorRoles.Moderator];

        var links = LinkTexts(Render<NavMenu>());

        Assert.Equal(Everyone, links);
    }

    [Fact]
    public void An_admin_sees_every_page()
    {
        Roles = ["user", OperatorRoles.Admin];

        var links = LinkTexts(Render<NavMenu>());

        Assert.Equal([.. Everyone, .. AdminsOnly], links);
    }

    private static string[] LinkTexts(IRenderedComponent<NavMenu> menu) =>
        menu.FindAll("a").Select(a => a.TextContent.Trim()).ToArray();
}
