import type { ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router-dom';
import { useUser } from './useAuth';

/** Pages for signed-in people send guests to sign in, and back here afterwards. */
export function RequireUser({ children }: { children: ReactNode }) {
  const user = useUser();
  const location = useLocation();
  return user ? <>{children}</> : <Navigate to={`/signin?next=${encodeURIComponent(location.pathname + location.search)}`} replace />;
}
