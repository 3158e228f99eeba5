import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import type { Stream } from '../api/streams';
import { useFormat } from '../i18n/format';
import { Avatar } from '../ui/Avatar';

/** A stream in a list: thumbnail with its live badge, viewer count and time live, title and streamer. */
export function StreamCard({ stream, now }: { stream: Stream; now: number }) {
  const { t } = useTranslation();
  const format = useFormat();
  const live = stream.status === 'live';
  return (
    <li className="stream-card" data-testid="stream-card" data-stream-id={stream.id}>
      <Link to={`/watch/${stream.id}`}>
        <div className="thumbnail">
          {stream.thumbnailUrl ? <img src={stream.thumbnailUrl} alt="" loading="lazy" /> : <div className="thumbnail-empty" aria-hidden="true" />}
          {live ? (
            <>
              <span className="badge live">{t('stream.live')}</span>
              <span className="thumb-meta">
                {t('stream.viewers', { count: stream.viewerCount, formatted: format.number(stream.viewerCount) })}
                {stream.startedAt && ` · ${format.since(stream.startedAt, now)}`}
              </span>
            </>
          ) : (
            <span className="badge">{stream.status === 'ended' ? (stream.recordingUrl ? t('stream.recording') : t('stream.ended')) : t('stream.offline')}</span>
          )}
        </div>
        <div className="card-text">
          <Avatar name={stream.streamer.displayName} url={stream.streamer.avatarUrl} size={32} />
          <div>
            <strong className="card-title">{stream.title}</strong>
            <span className="card-streamer">{stream.streamer.displayName}</span>
          </div>
        </div>
      </Link>
    </li>
  );
}
