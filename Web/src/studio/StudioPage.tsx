import { useCallback, useState, type FormEvent } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { ApiError } from '../api/http';
import { createStream, endStream, getOwnStream, getStreamKey, rotateStreamKey, updateStream, type OwnStream } from '../api/streams';
import { getEarnings } from '../api/wallet';
import { ChatPanel } from '../chat/ChatPanel';
import { useFormat } from '../i18n/format';
import { CopyField } from '../ui/CopyField';
import { usePolling } from '../ui/usePolling';
import { StreamPlayer } from '../watch/WatchPage';
import { BrowserLive } from './BrowserLive';
import { StreamHealthPanel, useStreamHealth } from './StreamHealthPanel';

const refreshMs = 5000;

function CreateStreamForm({ onCreated }: { onCreated: (key: string) => void }) {
  const { t } = useTranslation();
  const [title, setTitle] = useState('');
  const [record, setRecord] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    try {
      const created = await createStream(title.trim(), record);
      onCreated(created.streamKey);
    } catch (e) {
      setError(e instanceof ApiError && e.status === 400 ? t('studio.titleRequired') : t('errors.unexpected'));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="form panel" onSubmit={submit}>
      <h2>{t('studio.newStream')}</h2>
      <label>
        {t('studio.title')}
        <input required maxLength={140} value={title} onChange={(e) => setTitle(e.target.value)} />
      </label>
      <label className="check">
        <input type="checkbox" checked={record} onChange={(e) => setRecord(e.target.checked)} />
        {t('studio.record')}
      </label>
      {error && <p className="error" role="alert">{error}</p>}
      <button type="submit" className="primary" disabled={busy || !title.trim()}>
        {t('studio.create')}
      </button>
    </form>
  );
}

function TitleForm({ stream, onSaved }: { stream: OwnStream; onSaved: () => void }) {
  const { t } = useTranslation();
  const [title, setTitle] = useState(stream.title);
  const [status, setStatus] = useState<string | null>(null);
  const save = async (event: FormEvent) => {
    event.preventDefault();
    try {
      await updateStream(stream.id, { title: title.trim() });
      setStatus(t('common.saved'));
      onSaved();
    } catch {
      setStatus(t('errors.unexpected'));
    }
  };
  return (
    <form className="inline-form" onSubmit={save}>
      <label>
        {t('studio.title')}
        <input required maxLength={140} value={title} onChange={(e) => setTitle(e.target.value)} />
      </label>
      <button type="submit" disabled={!title.trim() || title.trim() === stream.title}>
        {t('studio.saveTitle')}
      </button>
      <span role="status" className="hint">{status}</span>
    </form>
  );
}

function ObsGuide() {
  const { t } = useTranslation();
  return (
    <details className="panel guide" open>
      <summary>{t('studio.obsTitle')}</summary>
      <ol>
        <li>{t('studio.obsStep1')}</li>
        <li>{t('studio.obsStep2')}</li>
        <li>
          <Trans i18nKey="studio.obsStep3" components={{ b: <strong /> }} />
        </li>
        <li>{t('studio.obsStep4')}</li>
      </ol>
    </details>
  );
}

function Earnings({ streamId }: { streamId: string }) {
  const { t } = useTranslation();
  const format = useFormat();
  const [beans, setBeans] = useState<number | null>(null);
  const load = useCallback(
    async (signal: AbortSignal) => setBeans((await getEarnings(30, signal)).perStream.find((s) => s.streamId === streamId)?.beans ?? 0),
    [streamId],
  );
  usePolling(load, 15_000);
  return (
    <p className="earnings" data-testid="stream-earnings">
      {t('studio.earnings')}: <strong>{beans === null ? '…' : t('wallet.beansAmount', { count: beans, formatted: format.number(beans) })}</strong>
    </p>
  );
}

/**
 * `/studio`: create a stream, copy Server and Stream key into OBS or go live from the browser, watch its health,
 * preview and chat while live, end it.
 */
export default function StudioPage() {
  const { t } = useTranslation();
  const [stream, setStream] = useState<OwnStream | null | undefined>(undefined);
  const [key, setKey] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [confirmEnd, setConfirmEnd] = useState(false);
  const [fromBrowser, setFromBrowser] = useState(false);
  const { health, unavailable } = useStreamHealth(stream?.status === 'live' ? stream.id : null);

  const load = useCallback(async (signal?: AbortSignal) => {
    try {
      setStream(await getOwnStream(signal));
      setError(null);
    } catch (e) {
      if (e instanceof ApiError && e.status === 404) {
        setStream(null);
        setKey(null);
      } else if (!signal?.aborted) {
        setError(t('errors.retrying'));
      }
    }
  }, [t]);

  usePolling(load, refreshMs);

  const run = async (work: () => Promise<void>) => {
    try {
      await work();
      setError(null);
    } catch {
      setError(t('errors.unexpected'));
    }
  };

  if (stream === undefined) {
    return <p className="notice">{error ?? t('common.loading')}</p>;
  }

  return (
    <section className="studio">
      <h1>{t('studio.heading')}</h1>
      {error && <p className="error" role="alert">{error}</p>}
      {stream === null ? (
        <CreateStreamForm onCreated={(created) => { setKey(created); void load(); }} />
      ) : (
        <div className="studio-grid">
          <div className="studio-main">
            {/* First on the page, so on a phone the preview and Start sit above everything else and the chat. */}
            <button type="button" id="browser-live-toggle" className="browser-toggle" aria-expanded={fromBrowser} aria-controls="browser-live" onClick={() => setFromBrowser(!fromBrowser)}>
              {t('studio.browserTitle')}
            </button>
            {fromBrowser && <BrowserLive stream={stream} health={health} labelledBy="browser-live-toggle" />}
            <div className="panel">
              <p className="meta">
                <span className={`badge ${stream.status}`}>{t(`stream.${stream.status}`)}</span>
                <Link to={`/watch/${stream.id}`}>{t('studio.viewerPage')}</Link>
              </p>
              <TitleForm key={stream.id} stream={stream} onSaved={() => void load()} />
              <CopyField label={t('studio.server')} value={stream.rtmpUrl} />
              <CopyField label={t('studio.streamKey')} value={key} secret onReveal={() => void (key ?? run(async () => setKey((await getStreamKey(stream.id)).streamKey)))} />
              <div className="actions">
                <button type="button" onClick={() => void run(async () => setKey((await rotateStreamKey(stream.id)).streamKey))}>
                  {t('studio.rotateKey')}
                </button>
                {confirmEnd ? (
                  <span role="group" aria-label={t('studio.confirmEnd')} className="confirm">
                    <span>{t('studio.confirmEnd')}</span>
                    <button type="button" className="danger" onClick={() => void run(async () => { await endStream(stream.id); setConfirmEnd(false); await load(); })}>
                      {t('studio.endNow')}
                    </button>
                    <button type="button" onClick={() => setConfirmEnd(false)}>{t('common.cancel')}</button>
                  </span>
                ) : (
                  <button type="button" className="danger" onClick={() => setConfirmEnd(true)}>
                    {t('studio.end')}
                  </button>
                )}
              </div>
              <p className="hint">{t('studio.keySecret')}</p>
            </div>
            {stream.status === 'live' ? (
              <>
                {/* Broadcasting from this page, the camera preview is the preview. */}
                {!fromBrowser && <StreamPlayer stream={stream} />}
                <StreamHealthPanel health={health} unavailable={unavailable} />
              </>
            ) : (
              !fromBrowser && <p className="notice panel">{t('studio.waitingForMedia')}</p>
            )}
            <Earnings streamId={stream.id} />
            <ObsGuide />
          </div>
          <ChatPanel streamId={stream.id} />
        </div>
      )}
    </section>
  );
}
