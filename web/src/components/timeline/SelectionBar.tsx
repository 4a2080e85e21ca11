// The bar that replaces the header while photos are selected: how many, and what can be done to them all.
import { lazy, Suspense, useCallback, useRef, useState } from 'react';
import { albumUrls } from '../../client/albums.js';
import { updatePhotos } from '../../client/library.js';
import { useAction } from '../../hooks/useAction.js';
import { formatCount } from '../../lib/format.js';
import { hasShareSheet } from '../../lib/share.js';
import { library } from '../../store/library.js';
import type { PhotoSequence } from '../../store/photoSequence.js';
import { selection, useSelection } from '../../store/selection.js';
import { ConfirmDialog } from '../ConfirmDialog.js';
import { ShareDialog } from '../sharing/ShareDialog.js';
import { AddToAlbumDialog } from './AddToAlbumDialog.js';
import { allHave, archive, countedAs, favourite, selectedFiles, shareFiles, stack, trash } from './bulkWork.js';
import { SelectionActions, type ExtraAction } from './SelectionActions.js';
import { Toast, type ToastMessage } from './Toast.js';

export type { ExtraAction };

/** The picker brings Leaflet: loaded when it opens. */
const LocationDialog = lazy(() => import('../map/LocationDialog.js').then((m) => ({ default: m.LocationDialog })));

export function SelectionBar({ sequence, actions = [] }: { sequence: PhotoSequence; actions?: ExtraAction[] }) {
  const sel = useSelection();
  const [dialog, setDialog] = useState<'album' | 'trash' | 'share' | 'location' | null>(null);
  // the photos the share dialog was opened for (the selection is cleared while it stays open)
  const [sharedIds, setSharedIds] = useState<string[]>([]);
  const [toast, setToast] = useState<ToastMessage | null>(null);
  // the files fetched for the share sheet, kept: a tap that fetched too long to open it opens it at once next time
  const fetched = useRef<{ key: string; files: File[] } | null>(null);
  const action = useAction(useCallback((text: string) => setToast({ text, error: true }), []));
  const busy = action.busy;
  const active = sel.scope === sequence.key && sel.ids.size > 0;
  const ids = active ? [...sel.ids] : [];
  // Favourite (archive) unless every selected photo that is loaded already is one: then the button takes it back.
  const allFavourite = allHave(sequence, ids, 'favorite');
  const allArchived = allHave(sequence, ids, 'archived');
  const what = countedAs(sequence, ids);

  const run = (work: () => Promise<ToastMessage>) =>
    void action
      .run(async () => {
        setToast(await work());
        selection.clear();
      })
      .finally(() => setDialog(null));

  return (
    <>
      {active ? (
        <SelectionActions
          ids={ids}
          label={what(ids.length)}
          pending={sel.pending}
          busy={busy}
          allFavourite={allFavourite}
          allArchived={allArchived}
          actions={actions}
          onFavourite={() => run(() => favourite(ids, !allFavourite, what))}
          onStack={() => run(() => stack(ids))}
          onArchive={() => run(() => archive(ids, !allArchived, what))}
          onDialog={(chosen) => {
            if (chosen === 'share') setSharedIds(ids);
            setDialog(chosen);
          }}
          onExtra={(extra) => run(async () => ({ text: await extra.run(ids) }))}
          onShareFiles={
            hasShareSheet()
              ? () =>
                  void action.run(async () => {
                    const key = ids.join(',');
                    const files = fetched.current?.key === key ? fetched.current.files : await selectedFiles(ids);
                    fetched.current = { key, files };
                    const shared = await shareFiles(files, what);
                    if (shared) {
                      fetched.current = null; // up to 100 MB, held no longer than needed
                      setToast(shared);
                    }
                  })
              : undefined
          }
        />
      ) : null}
      <ConfirmDialog
        open={dialog === 'trash'}
        title={`Move ${what(ids.length)} to the trash?`}
        confirmLabel="Move to trash"
        danger
        busy={busy}
        onConfirm={() => run(() => trash(ids, what))}
        onCancel={() => setDialog(null)}
      >
        <p>They leave the library and its albums. You can restore them from the trash.</p>
      </ConfirmDialog>
      <AddToAlbumDialog
        open={dialog === 'album'}
        label={what(ids.length)}
        onCancel={() => setDialog(null)}
        onAdded={(album, added, queued) => {
          setDialog(null);
          selection.clear();
          if (queued) return setToast({ text: `Added ${what(added)} to “${album.name}” once back online.` });
          void library.refresh();
          setToast({
            text:
              added === ids.length
                ? `Added ${what(added)} to “${album.name}”.`
                : `Added ${what(added)} to “${album.name}” (${formatCount(ids.length - added)} were in it already).`,
            link: { to: albumUrls.page(album.id), label: 'Open the album' },
          });
        }}
        photoIds={ids}
      />
      {dialog === 'share' ? (
        <ShareDialog
          open={dialog === 'share'}
          photoIds={sharedIds}
          title={`Share ${countedAs(sequence, sharedIds)(sharedIds.length)} by link`}
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
              setToast({
                text: position ? `Placed ${what(updated)} on the map.` : `Removed the location of ${what(updated)}.`,
                link: position ? { to: `/map?at=${position.latitude.toFixed(5)},${position.longitude.toFixed(5)},12`, label: 'Show on the map' } : undefined,
              });
            }}
          />
        </Suspense>
      ) : null}
      {toast ? <Toast message={toast} onClose={() => setToast(null)} /> : null}
    </>
  );
}
