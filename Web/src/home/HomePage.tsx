import { useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { listFollowingLive, listLiveStreams, type Stream } from '../api/streams';
import { useUser } from '../auth/useAuth';
import { usePolling } from '../ui/usePolling';
import { StreamCard } from './StreamCard';
import { useNow } from './useNow';

const refreshMs = 15_000;
const pageSize = 24;

/** Live now: first the streams of people I follow, then everyone's, most watched first; refreshed while open. */
export function HomePage() {
  const { t } = useTranslation();
  const user = useUser();
  const now = useNow();
  const [following, setFollowing] = useState<Stream[]>([]);
  const [streams, setStreams] = useState<Stream[] | null>(null);
  const [pages, setPages] = useState(1);
  const [total, setTotal] = useState(0);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(
    async (signal: AbortSignal) => {
      try {
        // Every page loaded so far is refreshed together, so "Show more" keeps its place.
        const [all, mine] = await Promise.all([
          listLiveStreams(1, pageSize * pages, signal),
          user ? listFollowingLive(signal) : Promise.resolve(null),
        ]);
        setStreams(all.items);
        setTotal(all.totalCount);
        setFollowing(mine?.items ?? []);
        setError(null);
      } catch {
        if (!signal.aborted) {
          setError(t('errors.retrying'));
        }
      }
    },
    [user, pages, t],
  );
  usePolling(load, refreshMs);

  const followed = new Set(following.map((s) => s.id));
  const others = streams?.filter((s) => !followed.has(s.id)) ?? [];
  return (
    <>
      <h1 className="visually-hidden">{t('home.title')}</h1>
      {error && <p className="notice" role="status">{error}</p>}
      {following.length > 0 && (
        <section aria-labelledby="following-heading">
          <h2 id="following-heading">{t('home.following')}</h2>
          <ul className="grid">
            {following.map((s) => (
              <StreamCard key={s.id} stream={s} now={now} />
            ))}
          </ul>
        </section>
      )}
      <section aria-labelledby="live-heading">
        <h2 id="live-heading">{t('home.liveNow')}</h2>
        {streams === null && !error && <p className="notice">{t('common.loading')}</p>}
        {streams?.length === 0 && <p className="notice">{t('home.nobodyLive')}</p>}
        <ul className="grid">
          {others.map((s) => (
            <StreamCard key={s.id} stream={s} now={now} />
          ))}
        </ul>
        {streams && streams.length < total && (
          <button type="button" className="more" onClick={() => setPages((p) => p + 1)}>
            {t('home.showMore')}
          </button>
        )}
      </section>
    </>
  );
}
