import { useCallback, useEffect, useReducer, useRef, useState } from 'react';
import { HubConnectionBuilder, HubConnectionState, LogLevel, type HubConnection, type IRetryPolicy } from '@microsoft/signalr';
import { session } from '../api/session';
import type { GiftEvent } from '../api/gifts';
import {
  hubMessage,
  hubPath,
  refusalReason,
  RoomRefusal,
  type ChatMessage,
  type ErrorEvent,
  type JoinResult,
  type MessageDeletedEvent,
  type Reaction,
  type ReactionEvent,
  type SystemEvent,
  type ViewerCountEvent,
} from '../api/chat';
import i18n from '../i18n';
import { formatter } from '../i18n/format';
import { refusalText } from './roomText';

/** `failed`: the hub refused to let this client into the room (no such stream, banned); nothing is retried. */
export type RoomStatus = 'connecting' | 'joined' | 'reconnecting' | 'failed';

/** A line of the chat as drawn; `system` lines come from the room, not from a user. */
export interface ChatLine {
  key: string;
  id: number | null;
  system: boolean;
  kind: string;
  userId: string | null;
  displayName: string;
  text: string;
  /** A system line's code and arguments, told in the reader's language by `systemText`. */
  code: string | null;
  args: Record<string, unknown> | null;
  sentAt: string;
}

/** Reaction taps the room just had, drawn for a moment and then dropped. */
export interface ReactionBurst {
  key: number;
  emoji: string;
  count: number;
}

export interface Room {
  status: RoomStatus;
  /** Why the room is not (fully) usable right now, or null. */
  notice: string | null;
  viewerCount: number | null;
  lines: ChatLine[];
  bursts: ReactionBurst[];
  /** Whether this client presents an access token (guests read only). */
  signedIn: boolean;
  /** The caller moderates this room (streamer, appointed moderator, admin) / appoints its moderators. */
  canModerate: boolean;
  canAppoint: boolean;
  /** Sends a message; resolves with why the hub refused it (in the reader's language; empty when it was not reached), or null when it was sent. */
  send: (text: string) => Promise<string | null>;
  react: (emoji: Reaction) => Promise<string | null>;
  /** Calls a moderation method of the hub on this room; resolves with its answer or rejects (a `RoomRefusal` when refused). */
  moderate: <T = void>(method: string, ...args: unknown[]) => Promise<T>;
}

// Long enough to scroll back a little; old lines go so an all-day stream does not grow the page without bound.
const maxLines = 200;
const burstMs = 1600;
const maxBursts = 24;
const maxRetryDelayMs = 30_000;
const retryDelay = (attempt: number) => Math.min(maxRetryDelayMs, 1000 * 2 ** attempt);
const refused = (error: unknown) => String(error).includes("Status code '401'");

interface State {
  status: RoomStatus;
  notice: string | null;
  viewerCount: number | null;
  lines: ChatLine[];
  canModerate: boolean;
  canAppoint: boolean;
}

type Action =
  | { type: 'reset' }
  | { type: 'status'; status: RoomStatus; notice: string | null }
  | { type: 'joined'; result: JoinResult }
  | { type: 'line'; line: ChatLine }
  | { type: 'deleted'; id: number }
  | { type: 'viewers'; count: number };

const initial: State = { status: 'connecting', notice: null, viewerCount: null, lines: [], canModerate: false, canAppoint: false };

let systemKeys = 0;
let burstKeys = 0;

const fromMessage = (m: ChatMessage): ChatLine => ({
  key: `m${m.id}`,
  id: m.id,
  system: m.kind !== 'message',
  kind: m.kind,
  userId: m.userId,
  displayName: m.displayName,
  text: m.text,
  code: m.code ?? null,
  args: m.args ?? null,
  sentAt: m.sentAt,
});

const fromSystem = (e: SystemEvent): ChatLine => ({
  key: e.id === null ? `s${++systemKeys}` : `m${e.id}`,
  id: e.id,
  system: true,
  kind: e.kind,
  userId: null,
  displayName: '',
  text: e.text,
  code: e.code ?? null,
  args: e.args ?? null,
  sentAt: e.sentAt,
});

// A sender hears its own message twice (the answer and the room's event), and a message sent while joining may come
// both in the history and as an event: lines with an id appear once.
function append(lines: ChatLine[], line: ChatLine): ChatLine[] {
  if (line.id !== null && lines.some((l) => l.id === line.id)) {
    return lines;
  }
  return [...lines.slice(-(maxLines - 1)), line];
}

function reduce(state: State, action: Action): State {
  switch (action.type) {
    case 'reset':
      return initial;
    case 'status':
      return { ...state, status: action.status, notice: action.notice };
    case 'joined': {
      // The history is the truth after (re)joining; keep only what arrived while the join was under way.
      const history = action.result.messages.map(fromMessage);
      const newest = history.reduce((max, l) => Math.max(max, l.id ?? 0), 0);
      const lines = state.lines.filter((l) => l.id !== null && l.id > newest).reduce(append, history.slice(-maxLines));
      const { viewerCount, canModerate = false, canAppoint = false } = action.result;
      return { status: 'joined', notice: null, viewerCount, lines, canModerate, canAppoint };
    }
    case 'line':
      return { ...state, lines: append(state.lines, action.line) };
    case 'deleted':
      return { ...state, lines: state.lines.filter((l) => l.id !== action.id) };
    case 'viewers':
      return { ...state, viewerCount: action.count };
  }
}

/**
 * The live room of stream `streamId` over the hub: joins it (again after every reconnect), keeps its lines, viewer
 * count and reaction bursts, and sends as `userId` (the session's user; its access token is renewed as needed, and a
 * new user means a new connection). `onGift` hears the room's gifts (for the animation over the player).
 */
export function useRoom(streamId: string, userId: string | null, onGift?: (event: GiftEvent) => void): Room {
  const [state, dispatch] = useReducer(reduce, initial);
  const [bursts, setBursts] = useState<ReactionBurst[]>([]);
  const hubRef = useRef<HubConnection | null>(null);
  // Read when a gift arrives, so a new callback does not reconnect the hub.
  const onGiftRef = useRef(onGift);
  useEffect(() => {
    onGiftRef.current = onGift;
  }, [onGift]);
  // The hub's last `error` event.
  const lastRefusal = useRef<ErrorEvent | null>(null);
  /** A failed hub call as the caller should see it: a RoomRefusal in the reader's language (as it is now), or the error as it was. */
  const explain = useCallback(
    (error: unknown): unknown => {
      const message = hubMessage(error);
      if (!message) {
        return error;
      }
      const told = lastRefusal.current;
      lastRefusal.current = null;
      const language = i18n.resolvedLanguage ?? 'en';
      return new RoomRefusal(told?.message === message ? refusalText(told, i18n.getFixedT(language), formatter(language)) : message);
    },
    [],
  );

  useEffect(() => {
    dispatch({ type: 'reset' });
    let stopped = false;
    let startTimer: number | undefined;
    let attempts = 0;
    const burstTimers = new Set<number>();

    const retry: IRetryPolicy = {
      // Never give up: a viewer may keep the page open through a long outage.
      nextRetryDelayInMilliseconds: ({ previousRetryCount, retryReason }) => {
        if (refused(retryReason)) {
          void session.refresh();
        }
        return retryDelay(previousRetryCount);
      },
    };
    const hub = new HubConnectionBuilder()
      // Asked at every (re)connect, so a reconnect after a night carries a renewed token.
      .withUrl(hubPath, { accessTokenFactory: async () => (userId ? ((await session.accessToken()) ?? '') : '') })
      .withAutomaticReconnect(retry)
      .configureLogging(LogLevel.Warning)
      .build();
    hubRef.current = hub;

    const mine = (event: { streamId: string }) => event.streamId === streamId;
    hub.on('message', (m: ChatMessage) => mine(m) && dispatch({ type: 'line', line: fromMessage(m) }));
    hub.on('system', (e: SystemEvent) => mine(e) && dispatch({ type: 'line', line: fromSystem(e) }));
    hub.on('messageDeleted', (e: MessageDeletedEvent) => mine(e) && dispatch({ type: 'deleted', id: e.id }));
    hub.on('viewerCount', (e: ViewerCountEvent) => mine(e) && dispatch({ type: 'viewers', count: e.count }));
    hub.on('gift', (e: GiftEvent) => mine(e) && onGiftRef.current?.(e));
    // Comes just before the refused call fails (same connection, in order): `explain` pairs them by message.
    hub.on('error', (e: ErrorEvent) => {
      lastRefusal.current = e;
    });
    hub.on('reaction', (e: ReactionEvent) => {
      if (!mine(e)) {
        return;
      }
      const burst = { key: ++burstKeys, emoji: e.emoji, count: e.count };
      setBursts((previous) => [...previous.slice(-(maxBursts - 1)), burst]);
      const timer = window.setTimeout(() => {
        burstTimers.delete(timer);
        setBursts((previous) => previous.filter((b) => b.key !== burst.key));
      }, burstMs);
      burstTimers.add(timer);
    });

    const join = async () => {
      try {
        const result = await hub.invoke<JoinResult>('JoinStream', streamId);
        if (!stopped) {
          dispatch({ type: 'joined', result });
        }
      } catch (error) {
        // A dropped connection is the reconnect's business (it joins again); a refusal is final.
        if (!stopped && hub.state === HubConnectionState.Connected) {
          dispatch({ type: 'status', status: 'failed', notice: refusalReason(explain(error)) });
        }
      }
    };

    // withAutomaticReconnect covers a connection that was up; the first start is retried here.
    const start = async () => {
      try {
        await hub.start();
      } catch (error) {
        if (stopped) {
          return;
        }
        if (refused(error)) {
          void session.refresh();
        }
        dispatch({ type: 'status', status: 'connecting', notice: 'offline' });
        startTimer = window.setTimeout(start, retryDelay(attempts++));
        return;
      }
      attempts = 0;
      await join();
    };

    hub.onreconnecting(() => dispatch({ type: 'status', status: 'reconnecting', notice: null }));
    hub.onreconnected(() => void join());
    void start();

    return () => {
      stopped = true;
      window.clearTimeout(startTimer);
      burstTimers.forEach((timer) => window.clearTimeout(timer));
      setBursts([]);
      hubRef.current = null;
      void hub.stop();
    };
  }, [streamId, userId, explain]);

  const invoke = useCallback(
    async (method: string, ...args: unknown[]): Promise<unknown> => {
      const hub = hubRef.current;
      if (!hub || hub.state !== HubConnectionState.Connected) {
        throw new Error('The chat is not connected.');
      }
      try {
        return await hub.invoke(method, streamId, ...args);
      } catch (error) {
        throw explain(error);
      }
    },
    [streamId, explain],
  );

  const send = useCallback(
    async (text: string) => {
      try {
        const message = (await invoke('SendMessage', text)) as ChatMessage;
        dispatch({ type: 'line', line: fromMessage(message) });
        return null;
      } catch (error) {
        return refusalReason(error);
      }
    },
    [invoke],
  );

  const react = useCallback(
    async (emoji: Reaction) => {
      try {
        await invoke('React', emoji);
        return null;
      } catch (error) {
        return refusalReason(error);
      }
    },
    [invoke],
  );

  const moderate = useCallback(<T,>(method: string, ...args: unknown[]) => invoke(method, ...args) as Promise<T>, [invoke]);

  return { ...state, bursts, signedIn: userId !== null, send, react, moderate };
}
