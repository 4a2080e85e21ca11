// Sharing: albums with other users, partners, share links (the owner's side) and a link's visitor pages.
import { request } from '../api.js';
import type {
  AlbumShare,
  LinkClipCheck,
  LinkSummary,
  Partnerships,
  ShareRole,
  UserCard,
  VisitedLink,
  VisitorPhoto,
  VisitorPhotoPage,
} from '../../../src/api/contract.js';

// The API's own types (type-only: nothing of the server ends up in the bundle).
export type { AlbumShare, LinkClipCheck, LinkSummary, Partnerships, ShareRole, UserCard, VisitedLink, VisitorPhoto };

export interface LinkSettings {
  description?: string | null;
  password?: string | null;
  expiresAt?: string | null;
  allowDownload?: boolean;
  allowUpload?: boolean;
  keepMetadata?: boolean;
}

const album = (id: string) => `/api/albums/${encodeURIComponent(id)}`;

export const sharingApi = {
  users: () => request<{ items: UserCard[] }>('GET', '/api/users'),
  albumShares: (albumId: string) => request<{ items: AlbumShare[] }>('GET', `${album(albumId)}/shares`),
  shareAlbum: (albumId: string, userId: string, role: ShareRole) =>
    request<AlbumShare>('PUT', `${album(albumId)}/shares/${encodeURIComponent(userId)}`, { body: { role } }),
  unshareAlbum: (albumId: string, userId: string) => request<void>('DELETE', `${album(albumId)}/shares/${encodeURIComponent(userId)}`),
  partners: () => request<Partnerships>('GET', '/api/partners'),
  addPartner: (userId: string) => request<void>('POST', '/api/partners', { body: { userId } }),
  removePartner: (userId: string, side: 'outgoing' | 'incoming') => request<void>('DELETE', `/api/partners/${encodeURIComponent(userId)}?side=${side}`),
  setPartnerInTimeline: (userId: string, inTimeline: boolean) =>
    request<void>('PATCH', `/api/partners/${encodeURIComponent(userId)}`, { body: { inTimeline } }),
  links: (albumId?: string) => request<{ items: LinkSummary[] }>('GET', `/api/shared-links${albumId ? `?albumId=${encodeURIComponent(albumId)}` : ''}`),
  createLink: (body: LinkSettings & { albumId?: string; photoIds?: string[] }) => request<LinkSummary>('POST', '/api/shared-links', { body }),
  updateLink: (id: string, body: LinkSettings) => request<LinkSummary>('PATCH', `/api/shared-links/${encodeURIComponent(id)}`, { body }),
  deleteLink: (id: string) => request<void>('DELETE', `/api/shared-links/${encodeURIComponent(id)}`),
  checkLink: (id: string) => request<LinkClipCheck>('POST', `/api/shared-links/${encodeURIComponent(id)}/check`),
};

/** The full address of a link's visitor page, on this server. */
export const linkUrl = (link: Pick<LinkSummary, 'path'>) => `${window.location.origin}${link.path}`;

// -- the visitor's side ----------------------------------------------------------------------------------------

const visit = (token: string) => `/api/s/${encodeURIComponent(token)}`;

export const visitorApi = {
  open: (token: string) => request<VisitedLink>('GET', visit(token)),
  unlock: (token: string, password: string) => request<void>('POST', `${visit(token)}/unlock`, { body: { password } }),
  photos: (token: string, page: number, limit = 100) => request<VisitorPhotoPage>('GET', `${visit(token)}/photos?page=${page}&limit=${limit}`),
  file: (token: string, photoId: string, kind: 'thumbnail' | 'preview' | 'original' | 'video') =>
    `${visit(token)}/photos/${encodeURIComponent(photoId)}/${kind}`,
};
