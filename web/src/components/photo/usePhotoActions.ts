// What can be done to the photo shown, and how it went: favourite and rating (also by the F and 1–5 keys), the
// archive, the share sheet, retry of failed steps, move to the trash and restore. Keeps the gallery's copy in step with each change.
import { useRef, useState } from 'react';
import { api } from '../../api.js';
import { updatePhoto, type PhotoFull } from '../../client/photo.js';
import { restoreFromTrash } from '../../client/trash.js';
import { messageOf } from '../../hooks/useResource.js';
import { useShortcuts } from '../../hooks/useShortcuts.js';
import { returnTo } from '../../lib/router.js';
import { canShareFiles, fetchSharedFiles, openShareSheet } from '../../lib/share.js';
import { library } from '../../store/library.js';

interface Options {
  /** The photo changed on the server: load it again. */
  onChanged: () => void;
  /** Show this copy of the photo at once (before and after a save). */
  onReplaced: (photo: PhotoFull) => void;
  /** Where the page goes once the photo is in the trash. */
  backTo: string;
}

export function usePhotoActions(photo: PhotoFull, { onChanged, onReplaced, backTo }: Options) {
  const [confirming, setConfirming] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const [retrying, setRetrying] = useState(false);
  const [saving, setSaving] = useState(false);
  const [actionError, setActionError] = useState<string | null>(null);
  const [status, setStatus] = useState('');
  const trashed = Boolean(photo.deletedAt);
  const favorite = photo.favorite ?? false;
  const rating = photo.rating ?? null;
  const archived = photo.archived ?? false;

  const fail = (e: unknown) => setActionError(messageOf(e));

  /** Favourite or rating: saved at once, the gallery's copy patched so its tile agrees on the way back. */
  const change = async (patch: { favorite?: boolean; rating?: number | null; archived?: boolean }, message: string) => {
    setSaving(true);
    setActionError(null);
    onReplaced({ ...photo, ...patch });
    try {
      const updated = await updatePhoto(photo.id, patch);
      onReplaced(updated);
      library.patchLocal(new Set([photo.id]), patch);
      // in or out of the timeline: its count and its rows change
      if (patch.archived !== undefined) void library.refresh();
      setStatus(message);
    } catch (e) {
      onReplaced(photo);
      fail(e);
    } finally {
      setSaving(false);
    }
  };
  const toggleFavorite = () => void change({ favorite: !favorite }, favorite ? 'Removed from favourites' : 'Added to favourites');
  const toggleArchive = () =>
    void change({ archived: !archived }, archived ? 'Back in the timeline' : 'Archived: out of the timeline, still in its albums and search');
  const rate = (value: number | null) => void change({ rating: value }, value ? `Rated ${value} of 5` : 'Rating cleared');

  useShortcuts((key) => {
    if (saving || trashed) return false;
    if (key === 'f' || key === 'F') toggleFavorite();
    else if (/^[1-5]$/.test(key)) rate(Number(key) === rating ? null : Number(key));
    else return false;
    return true;
  });

  // The file fetched for the share sheet, kept until shared: a tap that fetched too long to open the sheet opens it at once next time.
  const sharedFiles = useRef<{ key: string; files: File[] } | null>(null);
  const [sharing, setSharing] = useState(false);
  /** The photo's file to the share sheet; where the browser cannot share that file, the photo page's link. */
  const share = async () => {
    setSharing(true);
    setActionError(null);
    try {
      // the photo as it is now: an edit since the last fetch makes another file
      const key = `${photo.id}:${JSON.stringify(photo.edit ?? null)}`;
      const kept = sharedFiles.current?.key === key ? sharedFiles.current.files : null;
      const files = kept ?? (await fetchSharedFiles([{ id: photo.id, filename: photo.filename, mime: photo.mime, edited: Boolean(photo.edit) }]));
      sharedFiles.current = { key, files };
      if (canShareFiles(files)) {
        if (await openShareSheet({ files, title: photo.filename })) {
          sharedFiles.current = null;
          setStatus(`Shared ${files[0]!.name}`);
        }
      } else if (await openShareSheet({ title: photo.filename, url: window.location.href })) {
        setStatus('This browser cannot share the file itself: shared the link to this page');
      }
    } catch (e) {
      fail(e);
    } finally {
      setSharing(false);
    }
  };

  const retry = async () => {
    setRetrying(true);
    setActionError(null);
    try {
      await api.retryPhoto(photo.id);
      onChanged();
      void library.refresh();
      setStatus('Running the failed steps again');
    } catch (e) {
      fail(e);
    } finally {
      setRetrying(false);
    }
  };

  const remove = async () => {
    setDeleting(true);
    setActionError(null);
    try {
      await api.deletePhoto(photo.id);
      library.removeLocal(photo.id);
      setConfirming(false);
      returnTo(backTo, { replace: true });
    } catch (e) {
      setDeleting(false);
      setConfirming(false);
      fail(e);
    }
  };

  const restore = async () => {
    setActionError(null);
    try {
      await restoreFromTrash([photo.id]);
      onChanged();
      void library.refresh();
      setStatus('Restored from the trash');
    } catch (e) {
      fail(e);
    }
  };

  return {
    favorite,
    rating,
    archived,
    trashed,
    saving,
    retrying,
    sharing,
    deleting,
    /** The "move to trash?" dialog is open. */
    confirming,
    setConfirming,
    /** What the last action did, for the polite live region. */
    status,
    setStatus,
    actionError,
    toggleFavorite,
    toggleArchive,
    rate,
    share,
    retry,
    remove,
    restore,
  };
}
