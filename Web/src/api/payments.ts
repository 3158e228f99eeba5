import { request } from './http';

export interface CoinPackage {
  id: string;
  coins: number;
  amountCents: number;
  currency: string;
}

export interface PaymentsConfig {
  stripePublishableKey: string | null;
  stripe: boolean;
  paypal: boolean;
}

export interface CreatedIntent {
  paymentIntentId: string;
  clientSecret: string;
  package: CoinPackage;
}

export const getConfig = (signal?: AbortSignal) => request<PaymentsConfig>('/api/config', { signal });

export const listPackages = (signal?: AbortSignal) => request<CoinPackage[]>('/api/payments/packages', { signal });

export const createIntent = (packageId: string, idempotencyKey: string) =>
  request<CreatedIntent>('/api/payments/create-intent', { method: 'POST', body: { packageId, idempotencyKey, provider: 'stripe' }, auth: true });
