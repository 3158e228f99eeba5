/** The Api's stream as `GET /api/streams` and `GET /api/streams/{id}` return it. */
export interface Stream {
  id: string;
  title: string;
  status: 'offline' | 'live' | 'ended';
  streamer: { id: string; displayName: string; avatarUrl: string | null };
  viewerCount: number;
  record: boolean;
  createdAt: string;
  startedAt: string | null;
  endedAt: string | null;
  thumbnailUrl: string | null;
  playbackUrl: string;
}

export interface Page<T> {
  items: T[];
  page: number;
  pageSize: number;
  totalCount: number;
}

/** Thrown for answers other than 2xx, carrying the problem's title when the Api sent one (RFC 7807). */
export class ApiError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

async function getJson<T>(path: string, signal?: AbortSignal): Promise<T> {
  const response = await fetch(path, { signal, headers: { Accept: 'application/json' } });
  if (!response.ok) {
    const problem = await response.json().catch(() => null);
    throw new ApiError(response.status, problem?.detail ?? problem?.title ?? `The Api answered ${response.status}.`);
  }
  return (await response.json()) as T;
}

export const getStream = (id: string, signal?: AbortSignal) => getJson<Stream>(`/api/streams/${id}`, signal);

export const listLiveStreams = (signal?: AbortSignal) => getJson<Page<Stream>>('/api/streams?pageSize=50', signal);
