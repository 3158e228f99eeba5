import { request } from './http';
import type { Page } from './streams';

/** One movement of one of the user's balances; `amount` is positive when it went up. */
export interface WalletEntry {
  transferId: number;
  kind: string;
  account: 'coins' | 'beans' | 'beans_held';
  amount: number;
  createdAt: string;
}

export interface Wallet {
  coins: number;
  beans: number;
  beansHeld: number;
  /** The least a withdrawal may ask for. */
  minimumWithdrawalBeans: number;
  history: Page<WalletEntry>;
}

export interface Earnings {
  beans: number;
  beansHeld: number;
  days: number;
  perDay: { day: string; beans: number }[];
  perStream: { streamId: string; title: string; beans: number }[];
  topGifters: { userId: string; displayName: string; beans: number }[];
}

export interface Withdrawal {
  id: string;
  beans: number;
  amountCents: number;
  currency: string;
  status: string;
  note: string | null;
  createdAt: string;
  decidedAt: string | null;
}

export const getWallet = (page = 1, signal?: AbortSignal) => request<Wallet>(`/api/wallet?page=${page}&pageSize=20`, { signal, auth: true });

export const getEarnings = (days: number, signal?: AbortSignal) => request<Earnings>(`/api/wallet/earnings?days=${days}`, { signal, auth: true });

export const listWithdrawals = (signal?: AbortSignal) => request<Withdrawal[]>('/api/wallet/withdrawals', { signal, auth: true });

export const requestWithdrawal = (beans: number, idempotencyKey: string) => request<Withdrawal>('/api/wallet/withdrawals', { method: 'POST', body: { beans, idempotencyKey }, auth: true });
