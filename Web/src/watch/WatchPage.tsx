import { useEffect, useRef, useState } from 'react';
import { ChatPanel } from '../chat/ChatPanel';
import { GiftBar } from '../gifts/GiftBar';
import { GiftOverlay } from '../gifts/GiftOverlay';
import { useGiftShows } from '../gifts/useGiftShows';
import { ApiError, getStream, type Stream } from '../api/streams';
import { useHlsPlayer } from './useHlsPlayer';

// How often the page asks the Api whether the stream went live or ended.
const refreshMs = 5000;

/** `/watch/{streamId}`: the stream's player, title and streamer beside its live chat; waits for an offline stream to go live. */
export default function WatchPage({ streamId }: { streamId: string }) {
  const [stream, setStream] = useState<Stream | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    const abort = new AbortController();
    let timer: number | undefined;
    const refresh = async () => {
      try {
        setStream(await getStream(streamId, abort.signal));
        setError(null);
      } catch (e) {
        if (abort.signal.aborted) {
          return;
        }
        setError(e instanceof ApiError && e.status === 404 ? 'There is no such stream.' : 'Cannot reach NIO; retrying…');
      }
      timer = window.setTimeout(refresh, refreshMs);
    };
    void refresh();
    return () => {
      abort.abort();
      window.clearTimeout(timer);
    };
  }, [streamId]);

  // Once playing, keep playing to the playlist's end even if the Api already says the stream ended.
  const [source, setSource] = useState<string | null>(null);
  useEffect(() => {
    if (stream?.status === 'live' && !source) {
      setSource(stream.playbackUrl);
    }
  }, [stream, source]);

  const video = useRef<HTMLVideoElement>(null);
  const player = useHlsPlayer(video, source);
  const gifts = useGiftShows(streamId);

  if (!stream) {
    return <p className="notice">{error ?? 'Loading…'}</p>;
  }

  return (
    <section className="watch">
      <div className="stage">
        <div className="player">
          <video
            ref={video}
            data-testid="player"
            data-phase={player.phase}
            data-fatal-errors={player.fatalErrors}
            poster={stream.thumbnailUrl ?? undefined}
            controls
            muted
            autoPlay
            playsInline
          />
          {!source && <div className="overlay">{stream.status === 'ended' ? 'This stream has ended.' : 'Waiting for the streamer to go live…'}</div>}
          {player.phase === 'failed' && <div className="overlay">{player.message}</div>}
          <GiftOverlay shows={gifts.shows} />
        </div>
        <div className="details">
          <h1>{stream.title}</h1>
          <p className="meta">
            <span className={`badge ${stream.status}`}>{stream.status === 'live' ? 'LIVE' : stream.status}</span>
            <span>{stream.streamer.displayName}</span>
            {player.latency !== null && <span data-testid="latency">{player.latency.toFixed(1)} s behind live</span>}
            {player.message && player.phase !== 'failed' && <span>{player.message}</span>}
          </p>
          {error && <p className="notice">{error}</p>}
          <GiftBar streamId={streamId} live={stream.status === 'live'} />
        </div>
      </div>
      <ChatPanel streamId={streamId} onGift={gifts.push} />
    </section>
  );
}
