// The bar that replaces the header while photos are selected: how many, and what can be done to them all.
import { lazy, Suspense, useState } from 'react';
import { albumUrls } from '../../client/albums.js';
import { trashPhotos, updatePhotos } from '../../client/library.js';
import { exportUrls, MAX_EXPORTED_SELECTION } from '../../client/exports.js';
import { stackPhotos, unstack } from '../../client/stacks.js';
import { restoreFromTrash } from '../../client/trash.js';
import { formatCount } from '../../lib/format.js';
import { navigate } from '../../lib/router.js';
import { library } from '../../store/library.js';
import type { PhotoSequence } from '../../store/photoSequence.js';
import { selection, useSelection } from '../../store/selection.js';
import { ConfirmDialog } from '../ConfirmDialog.js';
import { HeartIcon } from '../PhotoTile.js';
import { ShareDialog } from '../sharing/ShareDialog.js';
import { AddToAlbumDialog } from './AddToAlbumDialog.js';
import { Toast, type ToastMessage } from './Toast.js';
import { errorText } from '../../lib/errors.js';

/** The picker brings Leaflet: loaded when it opens. */
const LocationDialog = lazy(() => import('../map/LocationDialog.js').then((m) => ({ default: m.LocationDialog })));

/** A page's own bulk action (an album page's "Remove from album"): runs, then says what it did. */
export interface ExtraAction {
  label: string;
  danger?: boolean;
  run: (ids: string[]) => Promise<string>;
}

const photos = (n: number) => `${formatCount(n)} ${n === 1 ? 'photo' : 'photos'}`;

export function SelectionBar({ sequence, actions = [] }: { sequence: PhotoSequence; actions?: ExtraAction[] }) {
  const sel = useSelection();
  const [busy, setBusy] = useState(false);
  const [dialog, setDialog] = useState<'album' | 'trash' | 'share' | 'location' | null>(null);
  // the photos the share dialog was opened for (the selection is cleared while it stays open)
  const [sharedIds, setSharedIds] = useState<string[]>([]);
  const [toast, setToast] = useState<ToastMessage | null>(null);
  const active = sel.scope === sequence.key && sel.ids.size > 0;
  const ids = active ? [...sel.ids] : [];

  // Favourite unless every selected photo that is loaded already is one (then the button takes it back).
  let allFavourite = ids.length > 0;
  for (const id of ids) {
    const offset = sequence.indexOf(id);
    if (offset === undefined || !sequence.photoAt(offset)?.favorite) {
      allFavourite = false;
      break;
    }
  }

  // Archive unless every selected photo that is loaded is archived already (the archive's own page: Unarchive).
  let allArchived = ids.length > 0;
  for (const id of ids) {
    const offset = sequence.indexOf(id);
    if (offset === undefined || !sequence.photoAt(offset)?.archived) {
      allArchived = false;
      break;
    }
  }

  const run = async (work: () => Promise<ToastMessage>) => {
    setBusy(true);
    try {
      const message = await work();
      setToast(message);
      selection.clear();
    } catch (error) {
      setToast({ text: errorText(error), error: true });
    } finally {
      setBusy(false);
      setDialog(null);
    }
  };

  const favourite = () =>
    run(async () => {
      const favorite = !allFavourite;
      await updatePhotos(ids, { favorite });
      library.patchLocal(new Set(ids), { favorite });
      void library.refresh();
      return {
        text: favorite ? `Added ${photos(ids.length)} to your favourites.` : `Removed ${photos(ids.length)} from your favourites.`,
      };
    });

  const archive = () =>
    run(async () => {
      const chosen = ids;
      const archived = !allArchived;
      await updatePhotos(chosen, { archived });
      library.patchLocal(new Set(chosen), { archived });
      void library.refresh();
      const undo = async () => {
        await updatePhotos(chosen, { archived: !archived });
        void library.refresh();
        return archived ? `Brought ${photos(chosen.length)} back.` : `Archived ${photos(chosen.length)} again.`;
      };
      return archived
        ? { text: `Archived ${photos(chosen.length)}: out of the timeline.`, link: { to: '/archive', label: 'Open the archive' }, undo }
        : { text: `Brought ${photos(chosen.length)} back to the timeline.`, undo };
    });

  const stack = () =>
    run(async () => {
      const made = await stackPhotos(ids);
      void library.refresh();
      // a stack one of them was in came along: taking it all apart would undo more than this did
      const merged = made.members.some((m) => m.reason !== 'by-user');
      return {
        text: merged
          ? `Stacked ${photos(made.members.length)}, with the stacks some of them were in.`
          : `Stacked ${photos(made.members.length)}: the best shot shows for them.`,
        link: { to: `/photos/${made.coverId ?? made.members[0]!.photo.id}`, label: 'Open the stack' },
        ...(merged
          ? {}
          : {
              undo: async () => {
                await unstack(made.id);
                void library.refresh();
                return `Unstacked ${photos(made.members.length)}.`;
              },
            }),
      };
    });

  const trash = () =>
    run(async () => {
      const chosen = ids;
      const { trashed } = await trashPhotos(chosen);
      void library.refresh();
      return {
        text: `Moved ${photos(trashed)} to the trash.`,
        link: { to: '/trash', label: 'Open the trash' },
        undo: async () => {
          await restoreFromTrash(chosen);
          void library.refresh();
          return `Restored ${photos(chosen.length)}.`;
        },
      };
    });

  return (
    <>
      {active ? (
        <div className="selection-bar" role="toolbar" aria-label="Selected photos" data-testid="selection-bar">
          <button
            type="button"
            className="button button-ghost selection-close"
            onClick={() => selection.clear()}
            aria-label="Clear the selection (Esc)"
            title="Clear the selection (Esc)"
          >
            ×
          </button>
          <p className="selection-count" aria-live="polite" data-testid="selection-count">
            {photos(ids.length)} selected{sel.pending ? '…' : ''}
          </p>
          <div className="selection-actions">
            <button
              type="button"
              className="button"
              onClick={() => {
                navigate(`/create?products=${ids.join(',')}`);
                selection.clear();
              }}
              disabled={busy || ids.length > 500}
              title={ids.length > 500 ? 'At most 500 products at once' : 'Make product-shot sets of the selected photos'}
              data-testid="bulk-product-shots"
            >
              <span className="selection-label">Product shots</span>
            </button>
            <button type="button" className="button" onClick={() => setDialog('album')} disabled={busy} data-testid="bulk-album">
              <svg viewBox="0 0 24 24" className="icon" aria-hidden="true" focusable="false">
                <rect x="3" y="5" width="14" height="14" rx="2" />
                <path d="M7 2.5h12.5A1.5 1.5 0 0 1 21 4v12.5M10 9v6M7 12h6" />
              </svg>
              <span className="selection-label">Add to album</span>
            </button>
            <button
              type="button"
              className="button"
              onClick={() => void favourite()}
              disabled={busy}
              aria-pressed={allFavourite}
              data-testid="bulk-favorite"
            >
              <HeartIcon />
              <span className="selection-label">{allFavourite ? 'Unfavourite' : 'Favourite'}</span>
            </button>
            <button
              type="button"
              className="button"
              onClick={() => void stack()}
              disabled={busy || ids.length < 2}
              title={ids.length < 2 ? 'Select two photos or more to stack them' : 'One tile for them all, the best shot on top'}
              data-testid="bulk-stack"
            >
              <svg viewBox="0 0 24 24" className="icon" aria-hidden="true" focusable="false">
                <path d="M7 7h13v13H7zM4 17V4h13" />
              </svg>
              <span className="selection-label">Stack</span>
            </button>
            <button
              type="button"
              className="button"
              onClick={() => void archive()}
              disabled={busy}
              aria-pressed={allArchived}
              title={allArchived ? 'Back to the timeline' : 'Out of the timeline, still in albums and search'}
              data-testid="bulk-archive"
            >
              <svg viewBox="0 0 24 24" className="icon" aria-hidden="true" focusable="false">
                <path d="M3.5 5h17v4h-17zM5 9v10h14V9M10 13h4" />
              </svg>
              <span className="selection-label">{allArchived ? 'Unarchive' : 'Archive'}</span>
            </button>
            <button type="button" className="button" onClick={() => setDialog('location')} disabled={busy} data-testid="bulk-location">
              <svg viewBox="0 0 24 24" className="icon" aria-hidden="true" focusable="false">
                <path d="M12 21s-6-5.6-6-11a6 6 0 0 1 12 0c0 5.4-6 11-6 11z M12 12.5a2.5 2.5 0 1 0 0-5 2.5 2.5 0 0 0 0 5z" />
              </svg>
              <span className="selection-label">Location</span>
            </button>
            <a
              className={`button${ids.length > MAX_EXPORTED_SELECTION ? ' button-disabled' : ''}`}
              href={ids.length > MAX_EXPORTED_SELECTION ? undefined : exportUrls.photos(ids)}
              download
              aria-disabled={ids.length > MAX_EXPORTED_SELECTION || undefined}
              title={ids.length > MAX_EXPORTED_SELECTION ? `At most ${MAX_EXPORTED_SELECTION} photos at once (Account → Export everything)` : 'The originals with XMP sidecars, as a ZIP'}
              data-testid="bulk-export"
            >
              <svg viewBox="0 0 24 24" className="icon" aria-hidden="true" focusable="false">
                <path d="M12 4v11M7.5 10.5 12 15l4.5-4.5M5 19h14" />
              </svg>
              <span className="selection-label">Export</span>
            </a>
            <button
              type="button"
              className="button"
              onClick={() => {
                setSharedIds(ids);
                setDialog('share');
              }}
              disabled={busy}
              data-testid="bulk-share"
            >
              <svg viewBox="0 0 24 24" className="icon" aria-hidden="true" focusable="false">
                <path d="M10 14a4 4 0 0 0 5.7 0l3-3a4 4 0 0 0-5.7-5.7l-1 1M14 10a4 4 0 0 0-5.7 0l-3 3a4 4 0 0 0 5.7 5.7l1-1" />
              </svg>
              <span className="selection-label">Share link</span>
            </button>
            {actions.map((action) => (
              <button
                key={action.label}
                type="button"
                className={`button${action.danger ? ' button-danger-outline' : ''}`}
                disabled={busy}
                onClick={() => void run(async () => ({ text: await action.run(ids) }))}
              >
                <span>{action.label}</span>
              </button>
            ))}
            <button
              type="button"
              className="button button-danger-outline"
              onClick={() => setDialog('trash')}
              disabled={busy}
              data-testid="bulk-trash"
            >
              <svg viewBox="0 0 24 24" className="icon" aria-hidden="true" focusable="false">
                <path d="M4 7h16M9.5 7V4.5h5V7M6 7l1 13h10l1-13M10 11v5.5M14 11v5.5" />
              </svg>
              <span className="selection-label">Trash</span>
            </button>
          </div>
        </div>
      ) : null}
      <ConfirmDialog
        open={dialog === 'trash'}
        title={`Move ${photos(ids.length)} to the trash?`}
        confirmLabel="Move to trash"
        danger
        busy={busy}
        onConfirm={() => void trash()}
        onCancel={() => setDialog(null)}
      >
        <p>They leave the library and its albums. You can restore them from the trash.</p>
      </ConfirmDialog>
      <AddToAlbumDialog
        open={dialog === 'album'}
        count={ids.length}
        onCancel={() => setDialog(null)}
        onAdded={(album, added) => {
          setDialog(null);
          selection.clear();
          void library.refresh();
          setToast({
            text:
              added === ids.length
                ? `Added ${photos(added)} to “${album.name}”.`
                : `Added ${photos(added)} to “${album.name}” (${formatCount(ids.length - added)} were in it already).`,
            link: { to: albumUrls.page(album.id), label: 'Open the album' },
          });
        }}
        photoIds={ids}
      />
      {dialog === 'share' ? (
        <ShareDialog
          open={dialog === 'share'}
          photoIds={sharedIds}
          title={`Share ${photos(sharedIds.length)} by link`}
          onClose={() => setDialog(null)}
        />
      ) : null}
      {dialog === 'location' ? (
        <Suspense fallback={null}>
          <LocationDialog
            open
            count={ids.length}
            current={null}
            onCancel={() => setDialog(null)}
            onSave={async (position) => {
              const { updated } = await updatePhotos(ids, { location: position });
              setDialog(null);
              selection.clear();
              void library.refresh();
              setToast({ text: position ? `Placed ${photos(updated)} on the map.` : `Removed the location of ${photos(updated)}.`, link: position ? { to: `/map?at=${position.latitude.toFixed(5)},${position.longitude.toFixed(5)},12`, label: 'Show on the map' } : undefined });
            }}
          />
        </Suspense>
      ) : null}
      {toast ? <Toast message={toast} onClose={() => setToast(null)} /> : null}
    </>
  );
}
