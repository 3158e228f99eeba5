import { useSyncExternalStore } from 'react';
import { session, type User } from '../api/session';

/** The signed-in user (null for a guest); the component redraws on sign-in, sign-out and profile changes. */
export function useUser(): User | null {
  return useSyncExternalStore((listener) => session.subscribe(listener), () => session.user);
}
