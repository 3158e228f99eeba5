using Nio.Admin.ApiClient;
using Nio.Admin.Auth;
using Nio.Admin.Components.Pages.Audit;
using Nio.Admin.Components.Pages.Chat;
using Nio.Admin.Components.Shared;
using Nio.Admin.Localization;

namespace Nio.Admin.Tests.Components;

/// <summary>The small rules the pages share, tested directly.</summary>
public sealed class PlainRulesTests
{
    [Theory]
    [InlineData("/users?q=a", true)]
    [InlineData("/", true)]
    [InlineData("//evil.example/", false)]
    [InlineData("/\\evil.example/", false)]
    [InlineData("https://evil.example/", false)]
    [InlineData("users", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void Only_paths_of_the_panel_are_followed_after_sign_in_or_a_language_switch(string? url, bool followed) =>
        Assert.Equal(followed, Languages.IsLocal(url));

    [Fact]
    public void A_token_is_renewed_a_minute_before_it_expires_or_after_two_thirds_of_a_short_life()
    {
        var issued = new DateTime(2026, 1, 1, 12, 0, 0, DateTimeKind.Utc);
        var fifteenMinutes = Session(issued, issued.AddMinutes(15));
        var oneMinute = Session(issued, issued.AddMinutes(1));
        var ahead = TimeSpan.FromSeconds(60);

        Assert.False(fifteenMinutes.IsDue(issued.AddMinutes(13).AddSeconds(59), ahead));
        Assert.True(fifteenMinutes.IsDue(issued.AddMinutes(14), ahead));
        Assert.False(oneMinute.IsDue(issued.AddSeconds(39), ahead));
        Assert.True(oneMinute.IsDue(issued.AddSeconds(40), ahead));
    }

    [Fact]
    public void The_audit_filter_includes_the_until_day_and_ignores_what_is_not_a_day_or_an_id()
    {
        var filter = AuditExport.Filter(" user. ", "not-an-id", "", null, "2026-03-01", "2026-03-31");

        Assert.Equal(new AuditFilter(null, "user.", null, null, new DateTime(2026, 3, 1, 0, 0, 0, DateTimeKind.Utc), new DateTime(2026, 4, 1, 0, 0, 0, DateTimeKind.Utc)), filter);
        Assert.Null(AuditExport.Filter(null, null, null, null, "yesterday", "2026-13-01").From);
    }

    [Fact]
    public void Query_strings_leave_out_empty_filters_and_write_values_invariantly()
    {
        var path = AdminRoutes.With("api/admin/audit", ("action", "user."), ("actorId", null), ("targetId", ""), ("from", new DateTime(2026, 3, 1, 0, 0, 0, DateTimeKind.Utc)), ("page", 2), ("banned", true));

        Assert.Equal("api/admin/audit?action=user.&from=2026-03-01T00%3A00%3A00.0000000Z&page=2&banned=true", path);
    }

    [Fact]
    public void A_live_message_joins_the_list_only_when_it_matches_every_filter()
    {
        var room = Guid.NewGuid();
        var author = Guid.NewGuid();
        var message = new AdminChatMessage(1, room, "Title", null, "message", author, "Vera", "Buy CHEAP coins here", DateTime.UtcNow, null);

        Assert.True(Chat.Matches(message, null, null, null));
        Assert.True(Chat.Matches(message, room, author, "cheap"));
        Assert.False(Chat.Matches(message, Guid.NewGuid(), null, null));
        Assert.False(Chat.Matches(message, null, Guid.NewGuid(), null));
        Assert.False(Chat.Matches(message, null, null, "free"));
    }

    [Theory]
    [InlineData(null, "—")]
    [InlineData(-1L, "—")]
    [InlineData(0L, "0:00")]
    [InlineData(245L, "4:05")]
    [InlineData(3723L, "1:02:03")]
    public void Durations_read_as_clock_times(long? seconds, string shown) => Assert.Equal(shown, Durations.Format(seconds));

    private static ApiSession Session(DateTime issued, DateTime expires) =>
        new("token", expires, "refresh", new Operator(Guid.NewGuid(), "a@b.c", "A", ["admin"]), issued, issued);
}
