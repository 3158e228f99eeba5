import { request } from './http';
import type { User } from './session';

/** A profile as anyone sees it (`GET /api/users/{id}`). */
export interface Profile {
  id: string;
  displayName: string;
  bio: string;
  avatarUrl: string | null;
  createdAt: string;
  followerCount: number;
  followingCount: number;
  followedByMe: boolean;
  live: boolean;
  liveStreamId: string | null;
}

export const getProfile = (id: string, signal?: AbortSignal) => request<Profile>(`/api/users/${id}`, { signal, auth: true });

export const follow = (id: string) => request<void>(`/api/users/${id}/follow`, { method: 'PUT', auth: true });

export const unfollow = (id: string) => request<void>(`/api/users/${id}/follow`, { method: 'DELETE', auth: true });

export const updateProfile = (change: { displayName?: string; bio?: string }) => request<User>('/api/users/me', { method: 'PATCH', body: change, auth: true });

export const uploadAvatar = (image: File) => request<User>('/api/users/me/avatar', { method: 'PUT', body: image, auth: true });
