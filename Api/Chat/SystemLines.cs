using System.Text.Json;
using Nio.Api.Gifts;

namespace Nio.Api.Chat;

/// <summary>
/// A system line: <c>Kind</c> groups it (streamEnded, moderation, ...), <c>Code</c> says exactly what happened and
/// <c>Args</c> fills it in, so a client shows it in its reader's language; <c>Text</c> is the English wording, for
/// clients that do not translate.
/// </summary>
public sealed record SystemLine(string Kind, string Code, string Text, JsonElement? Args = null);

/// <summary>Every system line the rooms show; the web app's translations (<c>chat.system</c>) follow these codes and arguments.</summary>
public static class SystemLines
{
    public static SystemLine StreamStarted() => new(ChatKind.StreamStarted, "streamStarted", "The stream is live.");

    public static SystemLine StreamEnded(bool forGood) => forGood
        ? new(ChatKind.StreamEnded, "streamEnded", "The stream has ended.")
        : new(ChatKind.StreamEnded, "streamOffline", "The stream went offline.");

    public static SystemLine TitleChanged(string title) => new(ChatKind.TitleChanged, "titleChanged", $"New title: {title}", ChatArgs.Of(new { title }));

    /// <summary>"Ann sent 3 × Rose 🌹 (combo ×5)": the combo is said only when earlier gifts add to it.</summary>
    public static SystemLine Gift(GiftSent sent) => new(ChatKind.Gift, "gift",
        $"{sent.Sender.DisplayName} sent {(sent.Count > 1 ? $"{sent.Count} × " : "")}{sent.Gift.Name} {sent.Gift.Emoji}{(sent.Combo > sent.Count ? $" (combo ×{sent.Combo})" : "")}",
        ChatArgs.Of(new { name = sent.Sender.DisplayName, gift = sent.Gift.Id, giftName = sent.Gift.Name, emoji = sent.Gift.Emoji, count = sent.Count, combo = sent.Combo }));

    public static SystemLine TimedOut(string name, int seconds) =>
        Moderation("timedOut", $"{name} was timed out for {seconds} s.", new { name, seconds });

    public static SystemLine BannedFromRoom(string name) => Moderation("bannedFromRoom", $"{name} was banned from the room.", new { name });

    public static SystemLine BannedFromNio(string name) => Moderation("bannedFromNio", $"{name} was banned from NIO.", new { name });

    public static SystemLine MayChatAgain(string name) => Moderation("mayChatAgain", $"{name} may chat again.", new { name });

    public static SystemLine SlowMode(int seconds) => seconds == 0
        ? Moderation("slowModeOff", "Slow mode is off.", null)
        : Moderation("slowModeOn", $"Slow mode is on: one message every {seconds} seconds.", new { seconds });

    public static SystemLine Moderator(string name, bool appointed) => appointed
        ? Moderation("moderatorAdded", $"{name} is now a moderator.", new { name })
        : Moderation("moderatorRemoved", $"{name} is no longer a moderator.", new { name });

    /// <summary>
    /// "Ann joined", "Ann and Bo joined", "Ann, Bo and Cy joined", "Ann, Bo and 3 others joined": the arguments carry the
    /// names said and how many others there were.
    /// </summary>
    public static SystemLine Joined(IReadOnlyList<string> names)
    {
        var said = names.Count <= 3 ? names : names.Take(2).ToList();
        var others = names.Count - said.Count;
        var text = said.Count switch
        {
            1 => $"{said[0]} joined",
            2 when others == 0 => $"{said[0]} and {said[1]} joined",
            2 => $"{said[0]}, {said[1]} and {others} others joined",
            _ => $"{said[0]}, {said[1]} and {said[2]} joined",
        };
        return new(ChatKind.Joined, "joined", text, ChatArgs.Of(new { names = said, others }));
    }

    private static SystemLine Moderation(string code, string text, object? args) =>
        new(ChatKind.Moderation, code, text, args is null ? null : ChatArgs.Of(args));
}

/// <summary>What fills in a system line or a refusal, as JSON in the web's spelling (camelCase).</summary>
public static class ChatArgs
{
    public static JsonElement Of(object args) => JsonSerializer.SerializeToElement(args, JsonSerializerOptions.Web);
}
