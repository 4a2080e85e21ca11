import { useCallback, useEffect, useId, useState } from 'react';
import { linkUrl, sharingApi, type AlbumShare, type LinkSummary, type ShareRole, type UserCard } from '../../client/sharing.js';
import { messageOf } from '../../hooks/useResource.js';
import { Dialog } from '../Dialog.js';
import { LinkList } from './LinkList.js';
import '../../styles/sharing.css';

interface Props {
  open: boolean;
  /** Share this album (with people, and by link)… */
  albumId?: string;
  /** …or these photos (by link only). */
  photoIds?: string[];
  title: string;
  onClose: () => void;
  /** After a change, for the page's counts (an album's "shared with"). */
  onChanged?: () => void;
}

/** Share an album with users of this server and by link, or a selection of photos by link. */
export function ShareDialog({ open, albumId, photoIds, title, onClose, onChanged }: Props) {
  const [users, setUsers] = useState<UserCard[]>([]);
  const [shares, setShares] = useState<AlbumShare[]>([]);
  const [links, setLinks] = useState<LinkSummary[]>([]);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(async () => {
    try {
      if (albumId) {
        const [userList, shareList, linkList] = await Promise.all([sharingApi.users(), sharingApi.albumShares(albumId), sharingApi.links(albumId)]);
        setUsers(userList.items);
        setShares(shareList.items);
        setLinks(linkList.items);
      }
      setError(null);
    } catch (failure) {
      setError(messageOf(failure));
    }
  }, [albumId]);

  useEffect(() => {
    if (!open) return;
    setLinks([]); // a selection's links are the ones made in this dialog
    setError(null);
    void load();
  }, [open, load]);

  const act = async (work: () => Promise<unknown>) => {
    try {
      await work();
      await load();
      onChanged?.();
    } catch (failure) {
      setError(messageOf(failure));
    }
  };

  return (
    <Dialog open={open} title={title} onCancel={onClose} cancelLabel="Done" backdropCancels={false} className="share-dialog">
      {error ? (
        <p className="form-error" role="alert">
          {error}
        </p>
      ) : null}
      {albumId ? (
        <section aria-label="People" className="share-section">
          <h3>People</h3>
          {shares.length === 0 ? (
            users.length > 0 ? (
              <p className="muted">Not shared with anyone yet.</p>
            ) : null
          ) : (
            <ul className="share-list" data-testid="album-shares">
              {shares.map((share) => (
                <li key={share.userId} className="share-row">
                  <span className="share-who">
                    <strong>{share.name}</strong> <span className="muted">{share.email}</span>
                  </span>
                  <select
                    aria-label={`${share.name}'s role`}
                    value={share.role}
                    onChange={(event) => void act(() => sharingApi.shareAlbum(albumId, share.userId, event.target.value as ShareRole))}
                  >
                    <option value="viewer">Can view</option>
                    <option value="editor">Can add and remove photos</option>
                  </select>
                  <button type="button" className="button button-ghost" onClick={() => void act(() => sharingApi.unshareAlbum(albumId, share.userId))}>
                    Stop sharing
                  </button>
                </li>
              ))}
            </ul>
          )}
          <ShareWithPerson
            users={users.filter((u) => !shares.some((s) => s.userId === u.id))}
            sharedWithSomeone={shares.length > 0}
            onShare={(userId, role) => act(() => sharingApi.shareAlbum(albumId, userId, role))}
          />
        </section>
      ) : null}
      <section aria-label="Links" className="share-section">
        <h3>Link</h3>
        <p className="muted">Anyone with the link sees {albumId ? 'this album' : 'these photos'}, and nothing else of your library.</p>
        <NewLinkForm
          onCreate={(settings) =>
            act(async () => {
              const created = await sharingApi.createLink({
                ...settings,
                ...(albumId ? { albumId } : { photoIds }),
              });
              if (!albumId) setLinks((list) => [created, ...list]);
              await navigator.clipboard?.writeText(linkUrl(created)).catch(() => undefined);
            })
          }
        />
        <LinkList links={links} onChange={(work) => act(work)} />
      </section>
    </Dialog>
  );
}

interface ShareWithPersonProps {
  /** The users it is not shared with yet. */
  users: UserCard[];
  sharedWithSomeone: boolean;
  onShare: (userId: string, role: ShareRole) => Promise<void>;
}

function ShareWithPerson({ users, sharedWithSomeone, onShare }: ShareWithPersonProps) {
  const [userId, setUserId] = useState('');
  const [role, setRole] = useState<ShareRole>('viewer');
  const personId = useId();
  if (users.length === 0) {
    return (
      <p className="muted" data-testid="share-nobody-left">
        {sharedWithSomeone
          ? 'Shared with everyone who has an account here.'
          : 'There is no one else on this server to share with yet (an admin adds people on the account page).'}
      </p>
    );
  }
  return (
    <form
      className="share-form"
      onSubmit={(event) => {
        event.preventDefault();
        if (userId) void onShare(userId, role).then(() => setUserId(''));
      }}
    >
      <label htmlFor={personId}>Share with</label>
      <select id={personId} value={userId} onChange={(event) => setUserId(event.target.value)} data-testid="share-user">
        <option value="">Choose someone…</option>
        {users.map((user) => (
          <option key={user.id} value={user.id}>
            {user.name} ({user.email})
          </option>
        ))}
      </select>
      <select aria-label="Role" value={role} onChange={(event) => setRole(event.target.value as ShareRole)}>
        <option value="viewer">Can view</option>
        <option value="editor">Can add and remove photos</option>
      </select>
      <button type="submit" className="button button-primary" disabled={!userId} data-testid="share-submit">
        Share
      </button>
    </form>
  );
}

export interface NewLinkSettings {
  password?: string;
  expiresAt?: string;
  allowDownload: boolean;
  allowUpload: boolean;
  keepMetadata: boolean;
}

function NewLinkForm({ onCreate }: { onCreate: (settings: NewLinkSettings) => Promise<void> }) {
  const [password, setPassword] = useState('');
  const [expires, setExpires] = useState('');
  // off unless asked: an original says where it was taken and with which camera
  const [allowDownload, setAllowDownload] = useState(false);
  const [keepMetadata, setKeepMetadata] = useState(false);
  const [allowUpload, setAllowUpload] = useState(false);
  const [busy, setBusy] = useState(false);
  const ids = { password: useId(), expires: useId() };
  return (
    <form
      className="share-link-form"
      onSubmit={(event) => {
        event.preventDefault();
        setBusy(true);
        void onCreate({
          password: password || undefined,
          // the end of the chosen day, in the visitor's own time zone
          expiresAt: expires ? new Date(`${expires}T23:59:59`).toISOString() : undefined,
          allowDownload,
          allowUpload,
          keepMetadata: allowDownload && keepMetadata,
        }).finally(() => {
          setBusy(false);
          setPassword('');
        });
      }}
    >
      <div className="dialog-field">
        <label htmlFor={ids.password}>
          Password <span className="muted">(optional, 8 characters or more)</span>
        </label>
        <input
          id={ids.password}
          type="password"
          autoComplete="new-password"
          value={password}
          minLength={8}
          maxLength={256}
          onChange={(e) => setPassword(e.target.value)}
        />
      </div>
      <div className="dialog-field">
        <label htmlFor={ids.expires}>
          Expires <span className="muted">(optional)</span>
        </label>
        <input id={ids.expires} type="date" value={expires} onChange={(e) => setExpires(e.target.value)} />
      </div>
      <label className="check">
        <input type="checkbox" checked={allowDownload} onChange={(e) => setAllowDownload(e.target.checked)} /> Visitors may download the originals
      </label>
      {allowDownload ? (
        <label className="check">
          <input type="checkbox" checked={keepMetadata} onChange={(e) => setKeepMetadata(e.target.checked)} /> Keep where they were taken and the camera&apos;s
          serial numbers in the downloads
        </label>
      ) : null}
      <label className="check">
        <input type="checkbox" checked={allowUpload} onChange={(e) => setAllowUpload(e.target.checked)} /> Visitors may add photos
      </label>
      <button type="submit" className="button button-primary" disabled={busy} data-testid="create-link">
        {busy ? 'Making the link…' : 'Make a link'}
      </button>
    </form>
  );
}
