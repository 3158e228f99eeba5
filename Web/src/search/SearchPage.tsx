import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router-dom';
import { search, type SearchResults } from '../api/search';
import { StreamCard } from '../home/StreamCard';
import { useNow } from '../home/useNow';
import { useFormat } from '../i18n/format';
import { Avatar } from '../ui/Avatar';

/** `/search?q=`: streams by title and people by display name. */
export default function SearchPage() {
  const { t } = useTranslation();
  const format = useFormat();
  const now = useNow();
  const [params] = useSearchParams();
  const q = params.get('q')?.trim() ?? '';
  const [results, setResults] = useState<SearchResults | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    setResults(null);
    setError(null);
    if (!q) {
      return;
    }
    const abort = new AbortController();
    search(q, abort.signal).then(setResults, () => !abort.signal.aborted && setError(t('errors.retrying')));
    return () => abort.abort();
  }, [q, t]);

  return (
    <section>
      <h1>{q ? t('search.resultsFor', { q }) : t('search.title')}</h1>
      {error && <p className="error" role="alert">{error}</p>}
      {q && !results && !error && <p className="notice">{t('common.loading')}</p>}
      {results && (
        <>
          <h2>{t('search.people')}</h2>
          {results.people.length === 0 ? (
            <p className="notice">{t('search.noPeople')}</p>
          ) : (
            <ul className="people">
              {results.people.map((p) => (
                <li key={p.id} data-testid="person-result">
                  <Link to={`/u/${p.id}`}>
                    <Avatar name={p.displayName} url={p.avatarUrl} />
                    <span>
                      <strong>{p.displayName}</strong>
                      <small>{t('profile.followers', { count: p.followerCount, formatted: format.number(p.followerCount) })}</small>
                    </span>
                    {p.live && <span className="badge live">{t('stream.live')}</span>}
                  </Link>
                </li>
              ))}
            </ul>
          )}
          <h2>{t('search.streams')}</h2>
          {results.streams.length === 0 ? (
            <p className="notice">{t('search.noStreams')}</p>
          ) : (
            <ul className="grid">
              {results.streams.map((s) => (
                <StreamCard key={s.id} stream={s} now={now} />
              ))}
            </ul>
          )}
        </>
      )}
    </section>
  );
}
