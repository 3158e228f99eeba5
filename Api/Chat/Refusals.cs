using System.Text.Json;
using Microsoft.AspNetCore.SignalR;

namespace Nio.Api.Chat;

/// <summary>
/// Why the room refused a call: <c>Reason</c> names it for clients that translate, <c>Args</c> fills it in,
/// <c>Message</c> says it in English (the hub's error message, and what clients that do not translate show).
/// </summary>
public sealed record Refusal(string Reason, string Message, JsonElement? Args = null)
{
    /// <summary>
    /// Refuses the hub call, which <see cref="RefusalsToCaller"/> also tells the caller; <paramref name="code"/> is the
    /// <c>error</c> event's. A plain <see cref="HubException"/>, so that clients read "HubException: message" as before.
    /// </summary>
    public HubException Refuse(string code = ErrorEvent.Refused) =>
        new(Message) { Data = { [RefusalsToCaller.EventKey] = new ErrorEvent(code, Message, Reason, Args) } };
}

/// <summary>
/// Told only to the caller, just before its call fails with the same <c>message</c>: <c>code</c> is <c>rateLimited</c>
/// for a flood (messages, slow mode, reactions), <c>refused</c> otherwise; <c>reason</c> and <c>args</c> say exactly
/// why (see <see cref="Refusals"/>).
/// </summary>
public sealed record ErrorEvent(string Code, string Message, string Reason, JsonElement? Args)
{
    public const string Refused = "refused";
    public const string RateLimited = "rateLimited";
}

/// <summary>Sends a refused call's <see cref="ErrorEvent"/> to its caller, then lets the call fail as it would have.</summary>
public sealed class RefusalsToCaller : IHubFilter
{
    public const string EventKey = "nio.refusal";

    public async ValueTask<object?> InvokeMethodAsync(HubInvocationContext invocation, Func<HubInvocationContext, ValueTask<object?>> next)
    {
        try
        {
            return await next(invocation);
        }
        catch (HubException refusal) when (refusal.Data[EventKey] is ErrorEvent told)
        {
            await invocation.Hub.Clients.Caller.SendAsync("error", told, invocation.Context.ConnectionAborted);
            throw;
        }
    }
}

/// <summary>Every refusal of the room hub; the web app's translations (<c>chat.refusals</c>) follow these reasons and arguments.</summary>
public static class Refusals
{
    public static Refusal StreamEnded() => new("streamEnded", "The stream has ended; its chat is closed.");

    public static Refusal TimedOut(DateTime until) => Of("timedOut", $"You are timed out in this room until {until:u}.", new { until });

    public static Refusal MessageEmpty() => new("messageEmpty", "The message is empty.");

    public static Refusal MessageTooLong(int max) => Of("messageTooLong", $"The message is longer than {max} characters.", new { max });

    public static Refusal BlockedWord() => new("blockedWord", "The message contains a word this room does not allow.");

    public static Refusal TooFast(int messages, int seconds) =>
        Of("tooFast", $"You are sending too fast: at most {messages} messages per {seconds} seconds.", new { messages, seconds });

    /// <summary>Said as the room's own line about slow mode says it.</summary>
    public static Refusal SlowMode(int seconds) => Of("slowMode", SystemLines.SlowMode(seconds).Text, new { seconds });

    public static Refusal TooManyReactions(int perSecond) => Of("tooManyReactions", $"Too many reactions: at most {perSecond} a second.", new { perSecond });

    public static Refusal NotAReaction(IEnumerable<string> allowed) => Of("notAReaction", $"Reactions are {string.Join(' ', allowed)}.", new { allowed });

    public static Refusal TooManyRooms(int max) => Of("tooManyRooms", $"A connection can be in at most {max} rooms; leave one first.", new { max });

    public static Refusal NoSuchStream() => new("noSuchStream", "There is no such stream.");

    public static Refusal NoSuchMessage() => new("noSuchMessage", "There is no such message in this room.");

    public static Refusal NoSuchUser() => new("noSuchUser", "There is no such user.");

    public static Refusal NotAnId(string name) => Of("notAnId", $"{name} must be an id (a UUID).", new { name });

    /// <summary><paramref name="action"/>: chat, react or moderate.</summary>
    public static Refusal SignIn(string action) => Of("signIn", $"Sign in to {action}.", new { action });

    public static Refusal AccountGone() => new("accountGone", "Your account no longer exists.");

    public static Refusal JoinFirst() => new("joinFirst", "Join the stream's room first (JoinStream).");

    public static Refusal AccountBanned() => new("accountBanned", "Your account is banned.");

    public static Refusal BannedFromRoom() => new("bannedFromRoom", "You are banned from this room.");

    public static Refusal NotModerator() => new("notModerator", "Only the streamer, their moderators and admins can do that.");

    public static Refusal TimeoutRange(int max) => Of("timeoutRange", $"A timeout lasts 1 to {max} seconds.", new { max });

    public static Refusal SlowModeRange(int max) => Of("slowModeRange", $"Slow mode is 0 (off) to {max} seconds.", new { max });

    public static Refusal BlockedWordTooLong(int max) => Of("blockedWordTooLong", $"A blocked word is at most {max} characters.", new { max });

    public static Refusal TooManyBlockedWords(int max) => Of("tooManyBlockedWords", $"A room blocks at most {max} words.", new { max });

    public static Refusal OnlyStreamerAppoints() => new("onlyStreamerAppoints", "Only the streamer appoints moderators.");

    public static Refusal StreamerModeratesAlready() => new("streamerModeratesAlready", "The streamer moderates their own room already.");

    public static Refusal StreamerUnsanctionable() => new("streamerUnsanctionable", "The streamer cannot be sanctioned in their own room.");

    public static Refusal CannotSanctionSelf() => new("cannotSanctionSelf", "You cannot sanction yourself.");

    public static Refusal OnlyBossSanctionsModerators() =>
        new("onlyBossSanctionsModerators", "Only the streamer or an admin can sanction a moderator or an admin.");

    private static Refusal Of(string reason, string message, object args) => new(reason, message, ChatArgs.Of(args));
}
