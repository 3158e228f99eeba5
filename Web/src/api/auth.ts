// The web app has no sign-in page yet: a token put here (by hand, or by a later sign-in page) signs the chat in.
const accessTokenKey = 'nio.accessToken';

/** The signed-in user's access token, or null for a guest (storage may also be blocked, e.g. in private mode). */
export function accessToken(): string | null {
  try {
    return window.localStorage.getItem(accessTokenKey) || null;
  } catch {
    return null;
  }
}
