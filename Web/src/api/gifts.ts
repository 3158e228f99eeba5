/** A gift of the catalog (`GET /api/payments/gifts`); `beans` is the streamer's share of its `coins`. */
export interface Gift {
  id: string;
  name: string;
  emoji: string;
  coins: number;
  beans: number;
}

/** The hub's `gift` event, sent to everyone in the room; `combo` counts the same gift by the same sender within 5 s. */
export interface GiftEvent {
  streamId: string;
  sender: { id: string; displayName: string };
  gift: Gift;
  count: number;
  combo: number;
}

/** What `POST /api/streams/{id}/gifts` answers (201, or 200 when the key had sent it already). */
export interface GiftSent {
  transferId: number;
  gift: Gift;
  count: number;
  combo: number;
  balance: number;
}

/**
 * Why the Api refused, from its problem JSON (RFC 7807). `retry`: nothing says the request was refused (no answer, or
 * a server error), so the same request with the same idempotency key may be sent again.
 */
export class GiftError extends Error {
  constructor(
    message: string,
    readonly status: number | null,
    readonly retry: boolean,
    readonly balance: number | null = null,
  ) {
    super(message);
  }
}

interface Problem {
  title?: string;
  detail?: string;
  errors?: Record<string, string[]>;
  balance?: number;
  needed?: number;
}

const authorized = (token: string): HeadersInit => ({ Accept: 'application/json', Authorization: `Bearer ${token}` });

function problemText(problem: Problem | null, status: number): string {
  // A validation problem (400) says what is wrong in `errors`, e.g. "You cannot send gifts to your own stream."
  const first = problem?.errors ? Object.values(problem.errors).flat()[0] : undefined;
  return problem?.detail ?? first ?? problem?.title ?? `The Api answered ${status}.`;
}

async function refusal(response: Response): Promise<GiftError> {
  const problem = (await response.json().catch(() => null)) as Problem | null;
  switch (response.status) {
    case 401:
      return new GiftError('Your sign-in was refused (expired?); sign in again to send gifts.', 401, false);
    case 402: {
      const balance = typeof problem?.balance === 'number' ? problem.balance : null;
      const needed = typeof problem?.needed === 'number' ? problem.needed : null;
      const figures = balance !== null && needed !== null ? ` This costs ${needed}, you have ${balance}.` : '';
      return new GiftError(`Not enough coins.${figures}`, 402, false, balance);
    }
    default:
      return new GiftError(problemText(problem, response.status), response.status, response.status >= 500);
  }
}

async function send(path: string, init: RequestInit): Promise<Response> {
  try {
    return await fetch(path, init);
  } catch {
    throw new GiftError('NIO could not be reached.', null, true);
  }
}

export async function listGifts(signal?: AbortSignal): Promise<Gift[]> {
  const response = await send('/api/payments/gifts', { signal, headers: { Accept: 'application/json' } });
  if (!response.ok) {
    throw await refusal(response);
  }
  return (await response.json()) as Gift[];
}

/** The signed-in user's coin balance (`GET /api/wallet`, one line of history: only the balance is used). */
export async function getCoins(token: string, signal?: AbortSignal): Promise<number> {
  const response = await send('/api/wallet?pageSize=1', { signal, headers: authorized(token) });
  if (!response.ok) {
    throw await refusal(response);
  }
  return ((await response.json()) as { coins: number }).coins;
}

/** Sends one gift; the same `idempotencyKey` again sends nothing more and answers what the first did. */
export async function sendGift(token: string, streamId: string, giftId: string, idempotencyKey: string): Promise<GiftSent> {
  const response = await send(`/api/streams/${streamId}/gifts`, {
    method: 'POST',
    headers: { ...authorized(token), 'Content-Type': 'application/json' },
    body: JSON.stringify({ giftId, count: 1, idempotencyKey }),
  });
  if (!response.ok) {
    throw await refusal(response);
  }
  return (await response.json()) as GiftSent;
}
