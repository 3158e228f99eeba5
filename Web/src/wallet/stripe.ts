import type { Stripe } from '@stripe/stripe-js';

let stripe: Promise<Stripe | null> | null = null;

/** Stripe.js, fetched from Stripe on first use only (never part of the app's own bundle). */
export function loadStripeJs(publishableKey: string): Promise<Stripe | null> {
  stripe ??= import('@stripe/stripe-js/pure').then(({ loadStripe }) => loadStripe(publishableKey));
  return stripe;
}
