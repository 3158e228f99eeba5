import { lazy, Suspense, useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router-dom';
import { ApiError } from '../api/http';
import { getStream, type Stream } from '../api/streams';
import { useUser } from '../auth/useAuth';
import { GiftBar } from '../gifts/GiftBar';
import { GiftOverlay } from '../gifts/GiftOverlay';
import { useGiftShows } from '../gifts/useGiftShows';
import { useFormat } from '../i18n/format';
import { Avatar } from '../ui/Avatar';
import { usePolling } from '../ui/usePolling';
import { FollowButton } from './FollowButton';
import { ShareButton } from './ShareButton';
import { arrivedEarlyStream, takeEarlyStream } from './preload';
import { useHlsPlayer } from './useHlsPlayer';

export { startPlayerEarly } from './player';

// The chat (with the SignalR client) is fetched once the video plays, so its code is not parsed before the first frame.
const ChatPanel = lazy(() => import('../chat/ChatPanel').then((module) => ({ default: module.ChatPanel })));

// How often the page asks the Api whether the stream went live or ended.
const refreshMs = 5000;

/** What there is to play now: the live playlist, or the recording of a recorded stream that ended. */
function playable(stream: Stream): string | null {
  return stream.status === 'live' ? stream.playbackUrl : stream.status === 'ended' ? (stream.recordingUrl ?? null) : null;
}

/** The stream's player: live (LL-HLS) while it is live, its recording (with a seek bar) once a recorded stream ended. */
export function StreamPlayer({ stream, onGiftShows, onStarted }: { stream: Stream; onGiftShows?: ReturnType<typeof useGiftShows>; onStarted?: () => void }) {
  const { t } = useTranslation();
  const format = useFormat();
  // Once playing, keep playing to the playlist's end even if the Api already says the stream ended.
  const [source, setSource] = useState<string | null>(() => playable(stream));
  useEffect(() => {
    if (stream.status === 'live' && !source) {
      setSource(stream.playbackUrl);
    } else if (stream.status === 'ended' && stream.recordingUrl && source !== stream.recordingUrl) {
      setSource(stream.recordingUrl);
    }
  }, [stream, source]);
  const video = useRef<HTMLVideoElement>(null);
  const player = useHlsPlayer(video, source);
  const ended = stream.status === 'ended';
  const playing = player.phase === 'playing';
  useEffect(() => {
    if (playing || !source) {
      onStarted?.();
    }
  }, [playing, source, onStarted]);
  return (
    <div className="player">
      <video
        ref={video}
        data-testid="player"
        data-phase={player.phase}
        data-fatal-errors={player.fatalErrors}
        poster={stream.thumbnailUrl ?? undefined}
        aria-label={t('watch.video', { title: stream.title })}
        controls
        muted
        autoPlay
        playsInline
      />
      {!source && <div className="overlay">{ended ? t('watch.ended') : t('watch.waiting')}</div>}
      {player.phase === 'failed' && <div className="overlay">{t('watch.failed')}</div>}
      {onGiftShows && <GiftOverlay shows={onGiftShows.shows} />}
      {player.latency !== null && !ended && (
        <span className="latency" data-testid="latency">
          {t('watch.behindLive', { seconds: format.decimal(player.latency) })}
        </span>
      )}
    </div>
  );
}

/** `/watch/{id}`: player, title, streamer (follow, share), gifts and the live chat. */
export default function WatchPage() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const format = useFormat();
  const user = useUser();
  const [stream, setStream] = useState<Stream | null>(() => arrivedEarlyStream(id));
  const [error, setError] = useState<string | null>(null);
  const [viewers, setViewers] = useState<number | null>(null);
  const gifts = useGiftShows(id);

  const load = useCallback(
    async (signal: AbortSignal) => {
      try {
        setStream(await (takeEarlyStream(id) ?? getStream(id, signal)));
        setError(null);
      } catch (e) {
        if (!signal.aborted) {
          setError(e instanceof ApiError && (e.status === 404 || e.status === 400) ? t('watch.noSuchStream') : t('errors.retrying'));
        }
      }
    },
    [id, t],
  );
  usePolling(load, refreshMs);

  const onViewers = useCallback((count: number) => setViewers(count), []);
  // The first frame waits for the main thread: the chat (SignalR), the gift bar and the follow state start once the
  // video plays (or after two seconds at the latest).
  const [started, setStarted] = useState(false);
  const onStarted = useCallback(() => setStarted(true), []);
  useEffect(() => {
    const timer = window.setTimeout(onStarted, 2000);
    return () => window.clearTimeout(timer);
  }, [onStarted]);

  if (!stream) {
    return <p className="notice" role="status">{error ?? t('common.loading')}</p>;
  }

  const live = stream.status === 'live';
  return (
    <section className="watch">
      <div className="stage">
        <StreamPlayer stream={stream} onGiftShows={gifts} onStarted={onStarted} />
        <div className="details">
          <h1>{stream.title}</h1>
          <div className="meta">
            <span className={`badge ${stream.status}`}>{t(`stream.${stream.status}`)}</span>
            {live && viewers !== null && <span>{t('stream.viewers', { count: viewers, formatted: format.number(viewers) })}</span>}
            {stream.status === 'ended' && stream.endedAt && <span>{format.dateTime(stream.endedAt)}</span>}
          </div>
          <div className="streamer-row">
            <Link to={`/u/${stream.streamer.id}`} className="streamer">
              <Avatar name={stream.streamer.displayName} url={stream.streamer.avatarUrl} />
              <strong>{stream.streamer.displayName}</strong>
            </Link>
            {started && <FollowButton userId={stream.streamer.id} />}
            <ShareButton title={stream.title} />
          </div>
          {error && <p className="notice" role="status">{error}</p>}
          {!started ? (
            <div className="gift-bar" aria-hidden="true" />
          ) : user ? (
            <GiftBar
              streamId={id}
              live={live}
              own={user.id === stream.streamer.id}
              sender={{ id: user.id, displayName: user.displayName }}
              onSent={gifts.push}
            />
          ) : (
            <p className="notice">
              <Link to={`/signin?next=/watch/${id}`}>{t('auth.signIn')}</Link> {t('gifts.signInToSend')}
            </p>
          )}
        </div>
      </div>
      {started ? (
        <Suspense fallback={<aside className="chat" aria-hidden="true" />}>
          <ChatPanel streamId={id} closed={stream.status === 'ended'} onGift={gifts.push} onViewers={onViewers} />
        </Suspense>
      ) : (
        <aside className="chat" aria-hidden="true" />
      )}
    </section>
  );
}
