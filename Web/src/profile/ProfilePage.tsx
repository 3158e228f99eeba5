import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router-dom';
import { ApiError } from '../api/http';
import { listUserStreams, type Stream } from '../api/streams';
import { getProfile, type Profile } from '../api/users';
import { SignOutButton } from '../auth/SignOutButton';
import { useUser } from '../auth/useAuth';
import { StreamCard } from '../home/StreamCard';
import { useNow } from '../home/useNow';
import { useFormat } from '../i18n/format';
import { Avatar } from '../ui/Avatar';
import { FollowButton } from '../watch/FollowButton';
import { EditProfile } from './EditProfile';

/** `/u/{id}`: a person's profile, their live stream and recordings; my own can be edited here. */
export default function ProfilePage() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const format = useFormat();
  const now = useNow();
  const user = useUser();
  const [profile, setProfile] = useState<Profile | null>(null);
  const [streams, setStreams] = useState<Stream[]>([]);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(() => {
    getProfile(id).then(setProfile, (e) => setError(e instanceof ApiError && e.status === 404 ? t('profile.notFound') : t('errors.retrying')));
    listUserStreams(id).then((page) => setStreams(page.items), () => setStreams([]));
  }, [id, t]);
  useEffect(load, [load]);

  if (!profile) {
    return <p className="notice" role="status">{error ?? t('common.loading')}</p>;
  }
  const mine = user?.id === profile.id;
  const open = streams.filter((s) => s.status !== 'ended');
  const recordings = streams.filter((s) => s.status === 'ended');
  return (
    <section className="profile">
      <header className="profile-header">
        <Avatar name={profile.displayName} url={profile.avatarUrl} size={96} />
        <div>
          <h1>{profile.displayName}</h1>
          <p className="meta">
            <span>{t('profile.followers', { count: profile.followerCount, formatted: format.number(profile.followerCount) })}</span>
            <span>{t('profile.following', { count: profile.followingCount, formatted: format.number(profile.followingCount) })}</span>
            <span>{t('profile.joined', { date: format.date(profile.createdAt) })}</span>
          </p>
          {profile.bio && <p className="bio">{profile.bio}</p>}
          <div className="actions">
            <FollowButton userId={profile.id} onChange={() => getProfile(id).then(setProfile, () => undefined)} />
            {profile.live && profile.liveStreamId && (
              <Link className="button primary" to={`/watch/${profile.liveStreamId}`}>{t('profile.watchLive')}</Link>
            )}
          </div>
        </div>
      </header>
      {mine && user && (
        <>
          <div className="actions">
            <Link className="button" to="/wallet">{t('nav.wallet')}</Link>
            <SignOutButton />
          </div>
          <EditProfile user={user} onSaved={load} />
        </>
      )}
      {open.length > 0 && (
        <>
          <h2>{t('profile.liveNow')}</h2>
          <ul className="grid">{open.map((s) => <StreamCard key={s.id} stream={s} now={now} />)}</ul>
        </>
      )}
      <h2>{t('profile.recordings')}</h2>
      {recordings.length === 0 ? <p className="notice">{t('profile.noRecordings')}</p> : <ul className="grid">{recordings.map((s) => <StreamCard key={s.id} stream={s} now={now} />)}</ul>}
    </section>
  );
}
