import { errorOf } from './problem';

/** The signed-in user as `GET /api/auth/me` and the auth endpoints answer it. */
export interface User {
  id: string;
  email: string;
  displayName: string;
  bio: string;
  avatarUrl: string | null;
  roles: string[];
  createdAt: string;
}

interface AuthResponse {
  accessToken: string;
  accessTokenExpiresAt: string;
  user: User;
}

type Listener = (user: User | null) => void;

// Renewed a minute before the access token expires (a quarter of its life when that is shorter), so no request
// ever carries an expired one.
const refreshAheadMs = 60_000;
// The token's lifetime is measured on the Api's clock (its Date header), so a device whose clock is off still renews in time.
function renewAt(answer: AuthResponse, response: Response): number {
  const serverNow = Date.parse(response.headers.get('Date') ?? '') || Date.now();
  const lifetime = Math.max(0, Date.parse(answer.accessTokenExpiresAt) - serverNow);
  return Date.now() + lifetime - Math.min(refreshAheadMs, lifetime / 4);
}
// Set while this browser holds a session cookie, so a visitor who never signed in does not ask for a refresh.
const hintKey = 'nio.session';
// Tabs refresh one at a time (the refresh token is single-use: two tabs spending the same one would end the session).
const lockName = 'nio.refresh';

/**
 * The session: the access token lives only in memory; the refresh token is an HttpOnly cookie the Api sets on
 * `/api/auth`, out of JavaScript's reach. The token is renewed in the background before it expires; other tabs
 * hear of sign-in and sign-out.
 */
class Session {
  private token: string | null = null;
  private renewAt = 0;
  private current: User | null = null;
  private restored = false;
  private timer: number | undefined;
  private inFlight: Promise<boolean> | null = null;
  private readonly listeners = new Set<Listener>();
  private readonly channel = 'BroadcastChannel' in window ? new BroadcastChannel('nio.session') : null;

  constructor() {
    this.channel?.addEventListener('message', (event: MessageEvent<'signedIn' | 'signedOut'>) => {
      if (event.data === 'signedOut') {
        this.clear();
      } else if (!this.current) {
        void this.refresh();
      }
    });
  }

  get user(): User | null {
    return this.current;
  }

  /** Whether it is known yet who is signed in (the cookie was tried after a reload). */
  get ready(): boolean {
    return this.restored;
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Picks the session up again after a reload; resolves once it is known whether someone is signed in. */
  async restore(): Promise<void> {
    if (localStorage.getItem(hintKey)) {
      await this.refresh();
    }
    this.restored = true;
    this.emit();
  }

  async signIn(email: string, password: string): Promise<User> {
    return this.start('/api/auth/login', { email, password, session: 'cookie' });
  }

  async signUp(email: string, password: string, displayName: string): Promise<User> {
    return this.start('/api/auth/register', { email, password, displayName, session: 'cookie' });
  }

  async signOut(): Promise<void> {
    await fetch('/api/auth/logout', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}', credentials: 'same-origin' }).catch(() => undefined);
    this.clear();
    this.channel?.postMessage('signedOut');
  }

  /** The profile changed (display name, avatar): everyone showing the user redraws. */
  update(user: User) {
    this.current = user;
    this.emit();
  }

  /** A current access token, renewed first when it is about to expire; null for a guest. */
  async accessToken(): Promise<string | null> {
    if (this.token && Date.now() > this.renewAt) {
      await this.refresh();
    }
    return this.token;
  }

  /** Renews the access token from the cookie; false (and signed out) when the Api refuses it. */
  refresh(): Promise<boolean> {
    this.inFlight ??= this.locked(() => this.renew()).finally(() => (this.inFlight = null));
    return this.inFlight;
  }

  private async renew(): Promise<boolean> {
    // Another tab may have renewed it while this one waited for the lock; the cookie it left is the newest.
    let response: Response;
    try {
      response = await fetch('/api/auth/refresh', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}', credentials: 'same-origin' });
    } catch {
      // Offline: keep what we have and try again a little later.
      this.schedule(Date.now() + 15_000);
      return this.token !== null;
    }
    if (response.status === 401 || response.status === 403) {
      this.clear();
      return false;
    }
    if (!response.ok) {
      this.schedule(Date.now() + 15_000);
      return this.token !== null;
    }
    this.accept((await response.json()) as AuthResponse, response);
    return true;
  }

  private async start(path: string, body: object): Promise<User> {
    const response = await fetch(path, { method: 'POST', headers: { 'Content-Type': 'application/json', Accept: 'application/json' }, body: JSON.stringify(body), credentials: 'same-origin' });
    if (!response.ok) {
      throw await errorOf(response);
    }
    const answer = (await response.json()) as AuthResponse;
    this.accept(answer, response);
    this.channel?.postMessage('signedIn');
    return answer.user;
  }

  private accept(answer: AuthResponse, response: Response) {
    this.token = answer.accessToken;
    this.renewAt = renewAt(answer, response);
    this.current = answer.user;
    localStorage.setItem(hintKey, '1');
    this.schedule(this.renewAt);
    this.emit();
  }

  private schedule(at: number) {
    window.clearTimeout(this.timer);
    this.timer = window.setTimeout(() => void this.refresh(), Math.max(1000, at - Date.now()));
  }

  private clear() {
    window.clearTimeout(this.timer);
    const had = this.current !== null;
    this.token = null;
    this.current = null;
    localStorage.removeItem(hintKey);
    if (had) {
      this.emit();
    }
  }

  private emit() {
    this.listeners.forEach((listener) => listener(this.current));
  }

  private locked<T>(work: () => Promise<T>): Promise<T> {
    return navigator.locks ? (navigator.locks.request(lockName, work) as Promise<T>) : work();
  }
}

export const session = new Session();
