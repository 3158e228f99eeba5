import type { ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { useSessionReady, useUser } from './useAuth';

/** Pages for signed-in people send guests to sign in, and back here afterwards. */
export function RequireUser({ children }: { children: ReactNode }) {
  const { t } = useTranslation();
  const user = useUser();
  const ready = useSessionReady();
  const location = useLocation();
  if (!ready) {
    return <p className="notice">{t('common.loading')}</p>;
  }
  return user ? <>{children}</> : <Navigate to={`/signin?next=${encodeURIComponent(location.pathname + location.search)}`} replace />;
}
