import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import { session } from '../api/session';

/** Ends the session (the refresh cookie is revoked and cleared) and goes home. */
export function SignOutButton({ className }: { className?: string }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  return (
    <button type="button" className={className} onClick={() => void session.signOut().then(() => navigate('/'))}>
      {t('auth.signOut')}
    </button>
  );
}
