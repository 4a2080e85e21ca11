// The dialogs of a person's page: merge into someone else, merge into the person who already has the name just
// given, and delete.
import { peopleUrls, type Person } from '../../client/people.js';
import { plural } from '../../lib/format.js';
import { navigate } from '../../lib/router.js';
import { ConfirmDialog } from '../ConfirmDialog.js';
import { MergeDialog } from './MergeDialog.js';
import type { PersonActions } from './usePersonActions.js';

export function PersonDialogs({ current, actions }: { current: Person | null; actions: PersonActions }) {
  const { namesake } = actions;
  return (
    <>
      <MergeDialog
        source={actions.merging ? current : null}
        onCancel={() => actions.setMerging(false)}
        onMerged={(target) => {
          actions.setMerging(false);
          navigate(peopleUrls.page(target.id), { replace: true });
        }}
      />

      <ConfirmDialog
        open={namesake !== null}
        title={`There is already someone called ${namesake?.name ?? ''}`}
        confirmLabel={`Merge into ${namesake?.name ?? ''}`}
        busy={actions.namesakeBusy}
        onConfirm={() => void actions.mergeWithNamesake()}
        onCancel={() => actions.setNamesake(null)}
      >
        <p>Are they the same person? Merge them so that all their faces and photos are together.</p>
      </ConfirmDialog>

      <ConfirmDialog
        open={actions.confirmDelete}
        title={current?.name ? `Delete ${current.name}?` : 'Delete this person?'}
        confirmLabel="Delete person"
        danger
        busy={actions.deleting}
        onConfirm={() => void actions.remove()}
        onCancel={() => actions.setConfirmDelete(false)}
      >
        <p>
          The person is removed; their {current ? plural(current.faceCount, 'face stays', 'faces stay') : 'faces stay'} in your photos without a name, and no
          photo is deleted.
        </p>
      </ConfirmDialog>
    </>
  );
}
