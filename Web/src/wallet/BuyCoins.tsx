import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { StripeElements } from '@stripe/stripe-js';
import { ApiError } from '../api/http';
import { createIntent, getConfig, listPackages, type CoinPackage, type PaymentsConfig } from '../api/payments';
import { useFormat } from '../i18n/format';
import { EmojiImage } from '../ui/Emoji';
import { loadStripeJs } from './stripe';

type Step =
  | { kind: 'choose' }
  | { kind: 'pay'; pack: CoinPackage; clientSecret: string }
  | { kind: 'waiting'; pack: CoinPackage }
  | { kind: 'done'; pack: CoinPackage };

/**
 * Buying coins: pick a package, pay in Stripe's Payment Element (card data never touches NIO), then the coins arrive
 * when Stripe's webhook reaches the Api; `onPaid` refreshes the balance until they show. Without Stripe configured the
 * section says so instead of showing a form that cannot work.
 */
export function BuyCoins({ coins, onPaid }: { coins: number | null; onPaid: () => void }) {
  const { t, i18n } = useTranslation();
  const format = useFormat();
  const [config, setConfig] = useState<PaymentsConfig | null>(null);
  const [packages, setPackages] = useState<CoinPackage[]>([]);
  const [step, setStep] = useState<Step>({ kind: 'choose' });
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const mount = useRef<HTMLDivElement>(null);
  const elements = useRef<StripeElements | null>(null);
  const coinsBefore = useRef<number | null>(null);

  useEffect(() => {
    const abort = new AbortController();
    getConfig(abort.signal).then(setConfig, () => setConfig({ stripePublishableKey: null, stripe: false, paypal: false }));
    listPackages(abort.signal).then(setPackages, () => setPackages([]));
    return () => abort.abort();
  }, []);

  // Mounts Stripe's Payment Element for the chosen package's PaymentIntent.
  useEffect(() => {
    if (step.kind !== 'pay' || !config?.stripePublishableKey) {
      return;
    }
    let cancelled = false;
    void loadStripeJs(config.stripePublishableKey).then((stripe) => {
      if (cancelled || !stripe || !mount.current) {
        if (!stripe) setError(t('wallet.stripeUnreachable'));
        return;
      }
      // In the app's language, not the browser's: Stripe's own labels and card errors too.
      const locale = i18n.resolvedLanguage === 'ru' ? 'ru' : 'en';
      elements.current = stripe.elements({ clientSecret: step.clientSecret, appearance: { theme: 'night' }, locale });
      elements.current.create('payment').mount(mount.current);
    }, () => setError(t('wallet.stripeUnreachable')));
    return () => {
      cancelled = true;
      elements.current = null;
    };
  }, [step, config, t]);

  // The webhook credits the coins a moment after Stripe confirms: the balance is refreshed until it moved.
  useEffect(() => {
    if (step.kind !== 'waiting') return;
    if (coins !== null && coinsBefore.current !== null && coins > coinsBefore.current) {
      setStep({ kind: 'done', pack: step.pack });
      return;
    }
    const timer = window.setTimeout(onPaid, 1000);
    return () => window.clearTimeout(timer);
  }, [step, coins, onPaid]);

  const choose = async (pack: CoinPackage) => {
    setBusy(true);
    setError(null);
    try {
      const intent = await createIntent(pack.id, crypto.randomUUID());
      setStep({ kind: 'pay', pack, clientSecret: intent.clientSecret });
    } catch (e) {
      setError(e instanceof ApiError && e.status === 503 ? t('wallet.paymentsOff') : t('errors.unexpected'));
    } finally {
      setBusy(false);
    }
  };

  const pay = async (event: FormEvent) => {
    event.preventDefault();
    if (step.kind !== 'pay' || !config?.stripePublishableKey || !elements.current) return;
    setBusy(true);
    setError(null);
    const stripe = await loadStripeJs(config.stripePublishableKey);
    const result = await stripe!.confirmPayment({
      elements: elements.current,
      confirmParams: { return_url: `${window.location.origin}/wallet` },
      redirect: 'if_required',
    });
    setBusy(false);
    if (result.error) {
      setError(result.error.message ?? t('wallet.paymentFailed'));
      return;
    }
    coinsBefore.current = coins;
    setStep({ kind: 'waiting', pack: step.pack });
  };

  const packLabel = (pack: CoinPackage) => t('wallet.packLabel', { coins: format.number(pack.coins), price: format.money(pack.amountCents, pack.currency) });

  return (
    <section className="panel" id="buy" aria-labelledby="buy-heading">
      <h2 id="buy-heading">{t('wallet.buyCoins')}</h2>
      {config === null ? (
        <p className="notice">{t('common.loading')}</p>
      ) : !config.stripe || !config.stripePublishableKey ? (
        <p className="notice" data-testid="payments-off">{t('wallet.paymentsOff')}</p>
      ) : step.kind === 'choose' ? (
        <ul className="packages">
          {packages.map((pack) => (
            <li key={pack.id}>
              <button type="button" disabled={busy} onClick={() => void choose(pack)} aria-label={packLabel(pack)}>
                <EmojiImage emoji="🪙" label="" size="1.6em" />
                <strong>{format.number(pack.coins)}</strong>
                <span>{format.money(pack.amountCents, pack.currency)}</span>
              </button>
            </li>
          ))}
        </ul>
      ) : step.kind === 'pay' ? (
        <form onSubmit={pay} className="form">
          <p>{packLabel(step.pack)}</p>
          <div ref={mount} className="payment-element" data-testid="payment-element" />
          <div className="actions">
            <button type="submit" className="primary" disabled={busy}>
              {t('wallet.pay', { price: format.money(step.pack.amountCents, step.pack.currency) })}
            </button>
            <button type="button" onClick={() => setStep({ kind: 'choose' })}>{t('common.cancel')}</button>
          </div>
        </form>
      ) : step.kind === 'waiting' ? (
        <p role="status">{t('wallet.waitingForCoins')}</p>
      ) : (
        <p role="status" data-testid="purchase-done">
          {t('wallet.coinsArrived', { count: step.pack.coins, formatted: format.number(step.pack.coins) })}{' '}
          <button type="button" onClick={() => setStep({ kind: 'choose' })}>{t('wallet.buyMore')}</button>
        </p>
      )}
      {error && <p className="error" role="alert">{error}</p>}
    </section>
  );
}
