import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { ApiError } from '../api/http';
import { getEarnings, getWallet, listWithdrawals, requestWithdrawal, type Earnings, type Wallet, type Withdrawal } from '../api/wallet';
import { useFormat } from '../i18n/format';
import { BuyCoins } from './BuyCoins';

function EarningsSection({ earnings }: { earnings: Earnings }) {
  const { t } = useTranslation();
  const format = useFormat();
  const max = Math.max(1, ...earnings.perDay.map((d) => d.beans));
  return (
    <section className="panel" aria-labelledby="earnings-heading">
      <h2 id="earnings-heading">{t('wallet.earnings', { count: earnings.days })}</h2>
      {earnings.perDay.length === 0 ? (
        <p className="notice">{t('wallet.noEarnings')}</p>
      ) : (
        <>
          <h3>{t('wallet.perDay')}</h3>
          <ul className="bars">
            {earnings.perDay.map((d) => (
              <li key={d.day}>
                <span>{format.date(d.day)}</span>
                <span className="bar" style={{ width: `${(100 * d.beans) / max}%` }} aria-hidden="true" />
                <strong>{format.number(d.beans)}</strong>
              </li>
            ))}
          </ul>
          <h3>{t('wallet.perStream')}</h3>
          <table>
            <thead><tr><th scope="col">{t('wallet.stream')}</th><th scope="col">{t('wallet.beans')}</th></tr></thead>
            <tbody>
              {earnings.perStream.map((s) => (
                <tr key={s.streamId}><td><Link to={`/watch/${s.streamId}`}>{s.title}</Link></td><td>{format.number(s.beans)}</td></tr>
              ))}
            </tbody>
          </table>
          <h3>{t('wallet.topGifters')}</h3>
          <ol className="gifters">
            {earnings.topGifters.map((g) => (
              <li key={g.userId}><Link to={`/u/${g.userId}`}>{g.displayName}</Link> — {format.number(g.beans)}</li>
            ))}
          </ol>
        </>
      )}
    </section>
  );
}

function WithdrawalsSection({ beans, minimum, onChange }: { beans: number; minimum: number; onChange: () => void }) {
  const { t } = useTranslation();
  const format = useFormat();
  const [items, setItems] = useState<Withdrawal[]>([]);
  const [amount, setAmount] = useState('');
  const [message, setMessage] = useState<string | null>(null);
  const minimumText = t('wallet.withdrawMinimum', { count: minimum, formatted: format.number(minimum) });
  const load = useCallback(() => void listWithdrawals().then(setItems, () => undefined), []);
  useEffect(load, [load]);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    try {
      await requestWithdrawal(Number(amount), crypto.randomUUID());
      setAmount('');
      setMessage(t('wallet.withdrawalRequested'));
      load();
      onChange();
    } catch (e) {
      // The form keeps within both limits; a refusal means the balance or the minimum changed meanwhile.
      const refusal = e instanceof ApiError ? e : null;
      setMessage(
        refusal?.status === 409 ? t('wallet.notEnoughBeans') : refusal?.fields.beans ? minimumText : t('errors.unexpected'),
      );
    }
  };
  return (
    <section className="panel" aria-labelledby="withdraw-heading">
      <h2 id="withdraw-heading">{t('wallet.withdrawals')}</h2>
      <form className="inline-form" onSubmit={submit}>
        <label>
          {t('wallet.withdrawBeans')}
          <input type="number" inputMode="numeric" min={minimum} max={beans} value={amount} aria-describedby="withdraw-minimum" onChange={(e) => setAmount(e.target.value)} />
        </label>
        <button type="submit" disabled={!amount || Number(amount) < minimum || Number(amount) > beans}>{t('wallet.requestWithdrawal')}</button>
      </form>
      <p id="withdraw-minimum" className="hint">{minimumText}</p>
      {message && <p role="status" className="hint">{message}</p>}
      {items.length > 0 && (
        <table>
          <thead><tr><th scope="col">{t('wallet.date')}</th><th scope="col">{t('wallet.beans')}</th><th scope="col">{t('wallet.amount')}</th><th scope="col">{t('wallet.status')}</th></tr></thead>
          <tbody>
            {items.map((w) => (
              <tr key={w.id}>
                <td>{format.dateTime(w.createdAt)}</td>
                <td>{format.number(w.beans)}</td>
                <td>{format.money(w.amountCents, w.currency)}</td>
                <td>{t(`wallet.withdrawalStatus.${w.status}`, { defaultValue: w.status })}{w.note ? ` — ${w.note}` : ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

/** `/wallet`: coins and beans, buying coins, the history of every movement, earnings and withdrawals. */
export default function WalletPage() {
  const { t } = useTranslation();
  const format = useFormat();
  const [wallet, setWallet] = useState<Wallet | null>(null);
  const [earnings, setEarnings] = useState<Earnings | null>(null);
  const [page, setPage] = useState(1);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(() => {
    getWallet(page).then((w) => { setWallet(w); setError(null); }, () => setError(t('errors.retrying')));
    getEarnings(30).then(setEarnings, () => undefined);
  }, [page, t]);
  useEffect(load, [load]);

  const pages = wallet ? Math.max(1, Math.ceil(wallet.history.totalCount / wallet.history.pageSize)) : 1;
  return (
    <section className="wallet">
      <h1>{t('wallet.title')}</h1>
      {error && <p className="error" role="alert">{error}</p>}
      <div className="balances panel">
        <div>
          <span id="coins-label">{t('wallet.coins')}</span>
          <output aria-labelledby="coins-label" data-testid="coins">{wallet ? format.number(wallet.coins) : '…'}</output>
        </div>
        <div>
          <span id="beans-label">{t('wallet.beans')}</span>
          <output aria-labelledby="beans-label" data-testid="beans">{wallet ? format.number(wallet.beans) : '…'}</output>
        </div>
        {wallet && wallet.beansHeld > 0 && (
          <div>
            <span id="held-label">{t('wallet.beansHeld')}</span>
            <output aria-labelledby="held-label">{format.number(wallet.beansHeld)}</output>
          </div>
        )}
      </div>
      <BuyCoins coins={wallet?.coins ?? null} onPaid={load} />
      <section className="panel" aria-labelledby="history-heading">
        <h2 id="history-heading">{t('wallet.history')}</h2>
        {wallet?.history.items.length === 0 ? (
          <p className="notice">{t('wallet.noHistory')}</p>
        ) : (
          <table>
            <thead><tr><th scope="col">{t('wallet.date')}</th><th scope="col">{t('wallet.what')}</th><th scope="col">{t('wallet.amount')}</th></tr></thead>
            <tbody>
              {wallet?.history.items.map((e) => (
                <tr key={`${e.transferId}-${e.account}`}>
                  <td>{format.dateTime(e.createdAt)}</td>
                  <td>{t(`wallet.kinds.${e.kind}`, { defaultValue: e.kind })}</td>
                  <td className={e.amount > 0 ? 'plus' : 'minus'}>
                    {e.amount > 0 ? '+' : ''}{format.number(e.amount)} {t(`wallet.accounts.${e.account}`)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {pages > 1 && (
          <nav className="pager" aria-label={t('wallet.historyPages')}>
            <button type="button" disabled={page <= 1} onClick={() => setPage(page - 1)}>{t('common.previous')}</button>
            <span>{t('common.pageOf', { page, pages })}</span>
            <button type="button" disabled={page >= pages} onClick={() => setPage(page + 1)}>{t('common.next')}</button>
          </nav>
        )}
      </section>
      {earnings && <EarningsSection earnings={earnings} />}
      {wallet && <WithdrawalsSection beans={wallet.beans} minimum={wallet.minimumWithdrawalBeans} onChange={load} />}
    </section>
  );
}
