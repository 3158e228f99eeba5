// What the room says on its own, in the reader's language: its system lines and its refusals. The Api sends each
// with a code and arguments beside its English wording (Api/Chat/SystemLines.cs, Api/Chat/Refusals.cs).
import type { TFunction } from 'i18next';
import type { ErrorEvent } from '../api/chat';
import type { Formatter } from '../i18n/format';

/** What a system line is told from: the Api's code and arguments (`Api/Chat/SystemLines.cs`) and its English text. */
export interface SystemLineParts {
  code?: string | null;
  args?: Record<string, unknown> | null;
  text: string;
}

const str = (value: unknown) => (typeof value === 'string' ? value : '');
const num = (value: unknown) => (typeof value === 'number' ? value : 0);

/**
 * A system line in the reader's language. A code this app does not know (a newer Api) or a line written before codes
 * existed shows the Api's English text.
 */
export function systemText(line: SystemLineParts, t: TFunction, format: Formatter): string {
  const args = line.args ?? {};
  const say = (key: string, values: Record<string, unknown> = {}) => t(`chat.system.${key}`, { ...values, defaultValue: line.text });
  switch (line.code) {
    case 'streamStarted':
    case 'streamEnded':
    case 'streamOffline':
    case 'slowModeOff':
      return say(line.code);
    case 'titleChanged':
      return say(line.code, { title: str(args.title) });
    case 'bannedFromRoom':
    case 'bannedFromNio':
    case 'mayChatAgain':
    case 'moderatorAdded':
    case 'moderatorRemoved':
      return say(line.code, { name: str(args.name) });
    case 'slowModeOn':
      return say(line.code, { count: num(args.seconds) });
    case 'timedOut': {
      const seconds = num(args.seconds);
      return say(line.code, { name: str(args.name), duration: t(`moderation.duration.${seconds}`, { defaultValue: format.seconds(seconds) }) });
    }
    case 'gift': {
      const count = num(args.count);
      const combo = num(args.combo);
      const gift = t(`gifts.names.${str(args.gift)}`, { defaultValue: str(args.giftName) });
      // "3 ×" is a count, not a plural: 21 roses are "21 ×" in every language.
      const sent = say(count > 1 ? 'giftMany' : 'gift', { name: str(args.name), gift, emoji: str(args.emoji), times: format.number(count) });
      return combo > count ? say('combo', { line: sent, combo: format.number(combo) }) : sent;
    }
    case 'joined': {
      const names = Array.isArray(args.names) ? args.names.map(str) : [];
      const others = num(args.others);
      const [a, b, c] = names;
      if (others > 0 && names.length === 2) return say('joinedMore', { a, b, count: others });
      if (names.length >= 1 && names.length <= 3 && others === 0) return say(`joined${names.length}`, { a, b, c });
      return line.text;
    }
    default:
      return line.text;
  }
}

/** Refusals whose text needs nothing filled in, by reason. */
const plainRefusals = new Set([
  'streamEnded', 'messageEmpty', 'blockedWord', 'notAReaction', 'tooManyRooms', 'noSuchMessage', 'noSuchUser', 'accountGone', 'joinFirst',
  'accountBanned', 'bannedFromRoom', 'notModerator', 'onlyStreamerAppoints', 'streamerModeratesAlready', 'streamerUnsanctionable',
  'cannotSanctionSelf', 'onlyBossSanctionsModerators',
]);

/** Why the room refused a call, in the reader's language; a reason this app does not know shows the Api's English message. */
export function refusalText(refusal: ErrorEvent, t: TFunction, format: Formatter): string {
  const args = refusal.args ?? {};
  const say = (key: string, values: Record<string, unknown> = {}) => t(key, { ...values, defaultValue: refusal.message });
  const reason = refusal.reason;
  if (plainRefusals.has(reason)) return say(`chat.refusals.${reason}`);
  switch (reason) {
    case 'timedOut':
      return say('chat.refusals.timedOut', { time: format.dateTime(str(args.until)) });
    case 'messageTooLong':
    case 'blockedWordTooLong':
    case 'tooManyBlockedWords':
      return say(`chat.refusals.${reason}`, { count: num(args.max) });
    case 'timeoutRange':
    case 'slowModeRange':
      return say(`chat.refusals.${reason}`, { max: format.number(num(args.max)) });
    case 'tooFast':
      return say('chat.refusals.tooFast', { messages: num(args.messages), seconds: num(args.seconds) });
    case 'tooManyReactions':
      return say('chat.refusals.tooManyReactions', { perSecond: num(args.perSecond) });
    case 'slowMode':
      return say('chat.system.slowModeOn', { count: num(args.seconds) });
    case 'signIn':
      return say(`chat.refusals.signIn.${str(args.action)}`);
    case 'noSuchStream':
      return say('watch.noSuchStream');
    case 'notAnId':
      return say('errors.unexpected');
    default:
      return refusal.message;
  }
}
