import { request } from './http';

/** A stream as the Api shows it to anyone (never its key). */
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
  recordingUrl: string | null;
}

/** The streamer's own open stream (`GET /api/streams/mine`), with where to send media. */
export interface OwnStream extends Stream {
  rtmpUrl: string;
  whipUrl: string;
}

/** What creating a stream or rotating its key answers. */
export interface StreamCredentials {
  id: string;
  title: string;
  status: Stream['status'];
  record: boolean;
  createdAt: string;
  streamKey: string;
  rtmpUrl: string;
  whipUrl: string;
  playbackUrl: string;
}

export interface Page<T> {
  items: T[];
  page: number;
  pageSize: number;
  totalCount: number;
}

/** What the Ingest measures of a live stream's media (`GET /api/streams/{id}/health`). */
export interface StreamHealth {
  streamId: string;
  live: boolean;
  reportedAt: string | null;
  secondsSinceLastMedia: number | null;
  video: { codec: string; profile: string | null; level: string | null; width: number; height: number; frameRate: number; bitrateKbps: number; keyframeIntervalSeconds: number | null } | null;
  audio: { codec: string; sampleRate: number; channels: number; bitrateKbps: number } | null;
  glassToGlassEstimateSeconds: number | null;
  warnings: string[];
  /** Set when the Transcoder re-encodes the source because its keyframes are too far apart. */
  sourceReencoded: { secondsWithoutKeyframe: number } | null;
}

export const getStream = (id: string, signal?: AbortSignal) => request<Stream>(`/api/streams/${id}`, { signal });

export const listLiveStreams = (page: number, pageSize: number, signal?: AbortSignal) =>
  request<Page<Stream>>(`/api/streams?page=${page}&pageSize=${pageSize}`, { signal });

export const listFollowingLive = (signal?: AbortSignal) => request<Page<Stream>>('/api/streams/following?pageSize=50', { signal, auth: true });

export const listUserStreams = (userId: string, signal?: AbortSignal) => request<Page<Stream>>(`/api/users/${userId}/streams?pageSize=20`, { signal });

export const getOwnStream = (signal?: AbortSignal) => request<OwnStream>('/api/streams/mine', { signal, auth: true });

export const createStream = (title: string, record: boolean) =>
  request<StreamCredentials>('/api/streams', { method: 'POST', body: { title, record }, auth: true });

export const updateStream = (id: string, change: { title?: string; record?: boolean }) =>
  request<Stream>(`/api/streams/${id}`, { method: 'PATCH', body: change, auth: true });

export const endStream = (id: string) => request<Stream>(`/api/streams/${id}/end`, { method: 'POST', auth: true });

export const getStreamKey = (id: string) => request<{ streamKey: string }>(`/api/streams/${id}/key`, { auth: true });

export const rotateStreamKey = (id: string) => request<StreamCredentials>(`/api/streams/${id}/key/rotate`, { method: 'POST', auth: true });

export const getStreamHealth = (id: string, signal?: AbortSignal) => request<StreamHealth>(`/api/streams/${id}/health`, { signal, auth: true });
