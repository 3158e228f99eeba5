import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import { follow, getProfile, unfollow } from '../api/users';
import { useUser } from '../auth/useAuth';

/** Follow / unfollow a streamer (a toggle: pressed while following); guests are sent to sign in. */
export function FollowButton({ userId, onChange }: { userId: string; onChange?: (following: boolean) => void }) {
  const { t } = useTranslation();
  const user = useUser();
  const navigate = useNavigate();
  const [following, setFollowing] = useState<boolean | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    const abort = new AbortController();
    getProfile(userId, abort.signal).then((p) => setFollowing(p.followedByMe), () => setFollowing(false));
    return () => abort.abort();
  }, [userId, user?.id]);

  if (user?.id === userId) {
    return null;
  }

  const toggle = async () => {
    if (!user) {
      navigate(`/signin?next=${encodeURIComponent(location.pathname)}`);
      return;
    }
    const next = !following;
    try {
      await (next ? follow(userId) : unfollow(userId));
      setFollowing(next);
      setError(null);
      onChange?.(next);
    } catch {
      setError(t('errors.unexpected'));
    }
  };

  return (
    <>
      <button type="button" className={following ? 'follow following' : 'follow primary'} aria-pressed={following ?? false} disabled={following === null} onClick={() => void toggle()} data-testid="follow">
        {following && <span aria-hidden="true">✓ </span>}
        {t('profile.follow')}
      </button>
      {error && <span className="error" role="alert">{error}</span>}
    </>
  );
}
