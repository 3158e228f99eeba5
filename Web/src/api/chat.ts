/** The live-room hub of `Api/Chat/RoomHub.cs`, on the web app's own origin. */
export const hubPath = '/hubs/stream';

/** The reactions the hub accepts (`Reactions.Allowed`), in its spelling. */
export const reactions = ['❤️', '😂', '👍', '🔥', '😮', '👏', '🎉', '😢'] as const;
export type Reaction = (typeof reactions)[number];

/** A chat line, live (`message`) and in the history; `kind` other than `message` is a system line. */
export interface ChatMessage {
  id: number;
  streamId: string;
  kind: string;
  userId: string | null;
  displayName: string;
  /** What the user typed; for a system line, its English wording. */
  text: string;
  /** A system line's code and arguments, which the web app translates (`chat/roomText.ts`); null for what users type. */
  code?: string | null;
  args?: Record<string, unknown> | null;
  sentAt: string;
}

/** What `JoinStream` answers. */
export interface JoinResult {
  streamId: string;
  viewerCount: number;
  messages: ChatMessage[];
  /** The caller may delete messages, time out and ban (streamer, appointed moderator, admin). */
  canModerate?: boolean;
  /** The caller may appoint moderators (streamer, admin). */
  canAppoint?: boolean;
}

/** What `GetRoomSettings` answers a moderator. */
export interface RoomSettings {
  streamId: string;
  slowModeSeconds: number;
  blockedWords: string[];
  moderators: string[];
}

export interface MessageDeletedEvent {
  streamId: string;
  id: number;
}

/** Taps on one emoji since the last event (the hub sums them up). */
export interface ReactionEvent {
  streamId: string;
  emoji: string;
  count: number;
}

/** A system line; `id` is set when the history keeps it too. */
export interface SystemEvent {
  streamId: string;
  kind: string;
  text: string;
  code?: string | null;
  args?: Record<string, unknown> | null;
  id: number | null;
  sentAt: string;
}

export interface ViewerCountEvent {
  streamId: string;
  count: number;
}

/**
 * Told only to this client just before a call of its fails with the same `message`: `reason` and `args` say exactly
 * why, for the app to say it in the reader's language (`chat/roomText.ts`).
 */
export interface ErrorEvent {
  code: string;
  message: string;
  reason: string;
  args?: Record<string, unknown> | null;
}

/** The hub's English message for refusing an invocation (what follows "HubException: "); empty when the hub was not reached. */
export function hubMessage(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const marker = 'HubException: ';
  const at = message.lastIndexOf(marker);
  return at >= 0 ? message.slice(at + marker.length) : '';
}

/** A hub call the room refused; its message says why in the reader's language. */
export class RoomRefusal extends Error {}

/** Why the room refused a call, ready to show; empty when it was not a refusal (the hub was not reached). */
export function refusalReason(error: unknown): string {
  return error instanceof RoomRefusal ? error.message : '';
}
