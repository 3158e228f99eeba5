import { useSyncExternalStore } from 'react';
import { session, type User } from '../api/session';

/** The signed-in user (null for a guest); the component redraws on sign-in, sign-out and profile changes. */
export function useUser(): User | null {
  return useSyncExternalStore((listener) => session.subscribe(listener), () => session.user);
}

/** False until the session was picked up again after a reload (pages for signed-in people wait for it). */
export function useSessionReady(): boolean {
  return useSyncExternalStore((listener) => session.subscribe(listener), () => session.ready);
}
