import { request } from './http';

/** A gift of the catalog (`GET /api/payments/gifts`); `beans` is the streamer's share of its `coins`. */
export interface Gift {
  id: string;
  name: string;
  emoji: string;
  coins: number;
  beans: number;
  /** The gift's own picture set by operators (a path on this site or an https URL); null draws its emoji. */
  artworkPath?: string | null;
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

export const listGifts = (signal?: AbortSignal) => request<Gift[]>('/api/payments/gifts', { signal });

/** The signed-in user's coin balance (one line of history: only the balance is used). */
export const getCoins = async (signal?: AbortSignal) => (await request<{ coins: number }>('/api/wallet?pageSize=1', { signal, auth: true })).coins;

/** Sends one gift; the same `idempotencyKey` again sends nothing more and answers what the first did. */
export const sendGift = (streamId: string, giftId: string, idempotencyKey: string) =>
  request<GiftSent>(`/api/streams/${streamId}/gifts`, { method: 'POST', body: { giftId, count: 1, idempotencyKey }, auth: true });
