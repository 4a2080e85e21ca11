// The head of a person's page: their cover face, their name (renamed in place), their counts, and the buttons
// for what can be done with them.
import type { Person } from '../../client/people.js';
import { plural } from '../../lib/format.js';
import { NameForm } from '../editing/NameForm.js';
import { FaceAvatar } from './FaceAvatar.js';

interface Props {
  /** The person, once loaded. */
  current: Person | null;
  /** Their name as shown ('Unnamed' without one). */
  label: string;
  renaming: boolean;
  onRenameStart: () => void;
  onRenameCancel: () => void;
  onRename: (name: string) => Promise<void | 'keep-open'>;
  onMerge: () => void;
  onToggleHidden: (person: Person) => void;
  onDelete: () => void;
}

export function PersonHeader({ current, label, renaming, onRenameStart, onRenameCancel, onRename, onMerge, onToggleHidden, onDelete }: Props) {
  return (
    <div className="person-head">
      <FaceAvatar faceId={current?.coverFaceId ?? null} lazy={false} />
      <div className="person-head-main">
        <div className="person-title-row">
          {renaming && current ? (
            <NameForm initial={current.name ?? ''} label="Their name" placeholder="Their name" allowEmpty onSave={onRename} onCancel={onRenameCancel} />
          ) : (
            <h1 className={`person-title ${current && !current.name ? 'unnamed' : ''}`} data-testid="person-title">
              {current ? label : <span className="skeleton skeleton-line" style={{ display: 'inline-block', width: '8em' }} />}
            </h1>
          )}
        </div>
        {current ? (
          <p className="person-counts muted" data-testid="person-counts">
            {plural(current.faceCount, 'face', 'faces')} in {plural(current.photoCount, 'photo', 'photos')}
            {current.hidden ? ' · hidden' : ''}
          </p>
        ) : null}
        {current && !renaming ? (
          <div className="person-actions">
            <button type="button" className={`button ${current.name ? '' : 'button-primary'}`} onClick={onRenameStart}>
              {current.name ? 'Rename' : 'Add a name'}
            </button>
            <button type="button" className="button" onClick={onMerge}>
              Merge into…
            </button>
            <button type="button" className="button" onClick={() => onToggleHidden(current)}>
              {current.hidden ? 'Show again' : 'Hide'}
            </button>
            <button type="button" className="button button-danger-outline" onClick={onDelete}>
              Delete
            </button>
          </div>
        ) : null}
      </div>
    </div>
  );
}
