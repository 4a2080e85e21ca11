import { useCallback, useEffect, useState } from 'react';
import { ConfirmDialog } from '../components/ConfirmDialog.js';
import { PullToRefresh } from '../components/PullToRefresh.js';
import { AlbumActions } from '../components/albums/AlbumActions.js';
import { albumCountLabel } from '../components/albums/AlbumCard.js';
import { countedAs } from '../components/timeline/bulkWork.js';
import { AlbumHead, type AlbumEditing } from '../components/albums/AlbumHead.js';
import { AlbumMissing } from '../components/albums/AlbumMissing.js';
import { AlbumPhotos } from '../components/albums/AlbumPhotos.js';
import { ActionStatus, type StatusMessage } from '../components/editing/ActionStatus.js';
import { ShareDialog } from '../components/sharing/ShareDialog.js';
import { sharingApi } from '../client/sharing.js';
import { accountApi } from '../client/account.js';
import { deleteAlbum, dismissAlbum, getAlbum, keepAlbum, removePhotosFromAlbum, updateAlbum, type AlbumDetail, type AlbumSummary } from '../client/albums.js';
import { useAction } from '../hooks/useAction.js';
import { useResource } from '../hooks/useResource.js';
import { Link, navigate } from '../lib/router.js';
import { library } from '../store/library.js';
import '../styles/albums.css';
import '../styles/sharing.css';

/** The summary part of an album's answer (its first page of photos is not used: the timeline loads them). */
const summaryOf = ({ photos: _photos, ...summary }: AlbumDetail): AlbumSummary => summary;

const back = (
  <p className="back-row">
    <Link to="/albums" className="back-link">
      ← Albums
    </Link>
  </p>
);

const toAlbums = () => navigate('/albums', { replace: true });

/** One album: its name (renamed in place), description, its photos (remove some), keep/dismiss when suggested. */
export function AlbumPage({ id }: { id: string }) {
  const album = useResource(`album:${id}`, async (signal) => summaryOf(await getAlbum(id, { limit: 1 }, signal)));
  const [editing, setEditing] = useState<AlbumEditing>(null);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const [sharing, setSharing] = useState(false);
  const [status, setStatus] = useState<StatusMessage | null>(null);
  const { busy, run } = useAction(useCallback((text: string) => setStatus({ text, error: true }), []));

  const current = album.data;
  useEffect(() => {
    document.title = `${current?.name ?? 'Album'} · Shoebox`;
  }, [current?.name]);

  // The timeline keeps orderings it has seen; photos may have been added elsewhere since this album was last open.
  useEffect(() => {
    const sequence = library.sequence({ album: id });
    if (sequence.getSnapshot().status !== 'idle') void sequence.refresh();
  }, [id]);

  /** Saves a change of the name or the description and says what it did. */
  const update = async (change: { name?: string; description?: string | null }, said: (updated: AlbumSummary) => string) => {
    const updated = await updateAlbum(id, change);
    album.setData(() => updated);
    setEditing(null);
    setStatus({ text: said(updated) });
  };
  const wasAuto = current?.kind === 'auto';
  const rename = (name: string) =>
    update({ name }, (updated) => (wasAuto ? `Renamed to ${updated.name} and kept as one of your albums.` : `Renamed to ${updated.name}.`));
  const describe = (text: string) =>
    update({ description: text.trim() || null }, (updated) => (updated.description ? 'Description saved.' : 'Description removed.'));

  const keep = () =>
    void run(async () => {
      const kept = await keepAlbum(id);
      album.setData(() => kept);
      setStatus({ text: 'Kept: this is one of your albums now.' });
    });
  const dismiss = () => void run(() => dismissAlbum(id).then(toAlbums));
  const remove = async () => {
    if (!(await run(() => deleteAlbum(id).then(toAlbums)))) setConfirmDelete(false);
  };
  const leave = () => void run(async () => (await sharingApi.unshareAlbum(id, (await accountApi.me()).id), toAlbums()));

  const removePhotos = async (ids: string[]): Promise<string> => {
    // named by what they are before the album's list forgets them: "Removed 1 video", not "1 photo"
    const what = countedAs(library.sequence({ album: id }), ids);
    const { album: updated, removed } = await removePhotosFromAlbum(id, ids);
    album.setData(() => updated);
    await library.sequence({ album: id }).refresh();
    const text = `Removed ${what(removed)} from this album; they are still in your library.`;
    return wasAuto && updated.kind === 'manual' ? `${text} The album is one of yours now.` : text;
  };

  if (album.error && !current) {
    return (
      <main className="album-page">
        {back}
        <AlbumMissing error={album.error} onRetry={album.reload} />
      </main>
    );
  }

  const owner = current?.access === 'owner';
  const canEditPhotos = owner || current?.access === 'editor';
  return (
    <main className="album-page" aria-busy={album.loading}>
      <PullToRefresh onRefresh={() => Promise.all([album.refresh(), library.refresh()])} />
      {back}
      <AlbumHead
        album={current}
        editing={editing}
        onEditEnd={() => setEditing(null)}
        onRename={rename}
        onSaveDescription={describe}
        actions={
          current ? (
            <AlbumActions
              album={current}
              busy={busy}
              onShare={() => setSharing(true)}
              onKeep={keep}
              onDismiss={dismiss}
              onRename={() => setEditing('name')}
              onDescribe={() => setEditing('description')}
              onDelete={() => setConfirmDelete(true)}
              onLeave={leave}
            />
          ) : null
        }
      />
      <ActionStatus status={status} onDismiss={() => setStatus(null)} />
      <AlbumPhotos id={id} count={current?.photoCount ?? 0} canEdit={canEditPhotos} onRemove={removePhotos} />
      {owner && current && sharing ? (
        <ShareDialog open={sharing} albumId={id} title={`Share “${current.name}”`} onClose={() => setSharing(false)} onChanged={album.reload} />
      ) : null}
      <ConfirmDialog
        open={confirmDelete}
        title={`Delete ${current?.name ?? 'this album'}?`}
        confirmLabel="Delete album"
        danger
        busy={busy}
        onConfirm={() => void remove()}
        onCancel={() => setConfirmDelete(false)}
      >
        <p>The album goes; its {current ? albumCountLabel(current) : 'photos'} stay in your library.</p>
      </ConfirmDialog>
    </main>
  );
}
