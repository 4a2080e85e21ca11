// Accounts: set-up, sign-in, the signed-in user's sessions and API keys, and the admin's users.
import type { ApiKeyInfo, AuthStatus, LocationUse, Me, SessionInfo, UserInfo, UserWithUsage } from '../../../src/api/contract.js';
import { request } from '../api.js';

// The API's own types (type-only: nothing of the server ends up in the bundle).
export type { ApiKeyInfo, AuthStatus, LocationUse, Me, SessionInfo, UserInfo, UserWithUsage };

/** What the set-up asks the library is for: `products` and `both` switch the creation tools on. */
export type LibraryPurpose = 'family' | 'products' | 'both';

export const accountApi = {
  status: () => request<AuthStatus>('GET', '/api/auth/status'),
  setup: (body: { name: string; email: string; password: string; installModels: string[]; purpose: LibraryPurpose }) =>
    request<{ user: UserInfo }>('POST', '/api/auth/setup', { body }),
  login: (body: { email: string; password: string }) => request<{ user: UserInfo }>('POST', '/api/auth/login', { body }),
  logout: () => request<void>('POST', '/api/auth/logout'),
  me: () => request<Me>('GET', '/api/auth/me'),
  changePassword: (current: string, next: string) =>
    request<{ revokedApiKeys: number; endedSessions: number }>('POST', '/api/auth/password', { body: { current, new: next } }),
  sessions: () => request<{ items: SessionInfo[] }>('GET', '/api/auth/sessions'),
  revokeSession: (id: string) => request<void>('DELETE', `/api/auth/sessions/${encodeURIComponent(id)}`),
  revokeOtherSessions: () => request<{ revoked: number }>('POST', '/api/auth/sessions/revoke-others'),
  apiKeys: () => request<{ items: ApiKeyInfo[] }>('GET', '/api/api-keys'),
  createApiKey: (name: string, scopes: string[]) => request<{ id: string; key: string }>('POST', '/api/api-keys', { body: { name, scopes } }),
  deleteApiKey: (id: string) => request<void>('DELETE', `/api/api-keys/${encodeURIComponent(id)}`),
  users: () => request<{ items: UserWithUsage[] }>('GET', '/api/admin/users'),
  storage: () => request<{ items: LocationUse[] }>('GET', '/api/admin/storage'),
  createUser: (body: { name: string; email: string; password: string; role: 'admin' | 'user'; quotaBytes?: number | null; storageLocation?: string | null }) =>
    request<UserInfo>('POST', '/api/admin/users', { body }),
  updateUser: (
    id: string,
    body: Partial<{ role: 'admin' | 'user'; disabled: boolean; quotaBytes: number | null; storageLocation: string | null; password: string }>,
  ) => request<UserInfo>('PATCH', `/api/admin/users/${encodeURIComponent(id)}`, { body }),
  moveUserPhotos: (id: string) => request<{ photos: number; to: string | null }>('POST', `/api/admin/users/${encodeURIComponent(id)}/storage/move`),
  deleteUser: (id: string) => request<{ deletedPhotos: number }>('DELETE', `/api/admin/users/${encodeURIComponent(id)}`),
};
