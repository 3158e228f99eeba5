import { ApiError, errorOf } from './problem';
import { session } from './session';

export { ApiError };

export interface RequestOptions {
  method?: string;
  /** Sent as JSON unless it is a Blob (sent as is, with its own type). */
  body?: unknown;
  signal?: AbortSignal;
  /** Sends the signed-in user's access token (refreshed first when it is about to expire). */
  auth?: boolean;
}

async function send(path: string, options: RequestOptions, token: string | null): Promise<Response> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  let body: BodyInit | undefined;
  if (options.body instanceof Blob) {
    body = options.body;
    headers['Content-Type'] = options.body.type;
  } else if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers['Content-Type'] = 'application/json';
  }
  if (token) {
    headers.Authorization = `Bearer ${token}`;
  }
  try {
    return await fetch(path, { method: options.method ?? 'GET', headers, body, signal: options.signal, credentials: 'same-origin' });
  } catch (error) {
    if (options.signal?.aborted) {
      throw error;
    }
    throw new ApiError(0, 'offline');
  }
}

/**
 * Calls the Api on the app's own origin. With `auth`, an access token the Api refuses (it expired in a sleeping tab)
 * is refreshed once and the request sent again, so an expired token never reaches the person as an error.
 */
export async function request<T>(path: string, options: RequestOptions = {}): Promise<T> {
  let response = await send(path, options, options.auth ? await session.accessToken() : null);
  if (response.status === 401 && options.auth && (await session.refresh())) {
    response = await send(path, options, await session.accessToken());
  }
  if (!response.ok) {
    throw await errorOf(response);
  }
  return (response.status === 204 ? undefined : await response.json()) as T;
}

