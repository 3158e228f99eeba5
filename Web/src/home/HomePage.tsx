import { useEffect, useState } from 'react';
import { listLiveStreams, type Stream } from '../api/streams';

const refreshMs = 15000;

/** The streams that are live now, newest first, each linking to its watch page. */
export function HomePage() {
  const [streams, setStreams] = useState<Stream[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    const abort = new AbortController();
    let timer: number | undefined;
    const refresh = async () => {
      try {
        setStreams((await listLiveStreams(abort.signal)).items);
        setError(null);
      } catch {
        if (!abort.signal.aborted) {
          setError('Cannot reach NIO; retrying…');
        }
      }
      timer = window.setTimeout(refresh, refreshMs);
    };
    void refresh();
    return () => {
      abort.abort();
      window.clearTimeout(timer);
    };
  }, []);

  return (
    <section>
      <h1>Live now</h1>
      {error && <p className="notice">{error}</p>}
      {streams?.length === 0 && <p className="notice">No one is live right now.</p>}
      <ul className="grid">
        {streams?.map((stream) => (
          <li key={stream.id}>
            <a href={`/watch/${stream.id}`}>
              <div className="thumbnail">{stream.thumbnailUrl && <img src={stream.thumbnailUrl} alt="" loading="lazy" />}</div>
              <strong>{stream.title}</strong>
              <span>{stream.streamer.displayName}</span>
            </a>
          </li>
        ))}
      </ul>
    </section>
  );
}
