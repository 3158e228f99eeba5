import { request } from './http';
import type { Stream } from './streams';

export interface PersonResult {
  id: string;
  displayName: string;
  avatarUrl: string | null;
  bio: string;
  followerCount: number;
  live: boolean;
  liveStreamId: string | null;
}

export interface SearchResults {
  streams: Stream[];
  people: PersonResult[];
}

export const search = (q: string, signal?: AbortSignal) => request<SearchResults>(`/api/search?q=${encodeURIComponent(q)}&limit=20`, { signal });
