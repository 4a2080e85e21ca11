import { useRef, type DragEvent } from 'react';
import { peopleUrls, personLabel, type Person } from '../../client/people.js';
import { plural } from '../../lib/format.js';
import { Link } from '../../lib/router.js';
import { ActionMenu } from '../editing/ActionMenu.js';
import { NameForm } from '../editing/NameForm.js';
import { FaceAvatar } from './FaceAvatar.js';

/** The drag payload type: a person's id (other drops, files included, are not merges). */
export const PERSON_DRAG_TYPE = 'application/x-shoebox-person';

interface Props {
  person: Person;
  renaming: boolean;
  /** Another person is being dragged over this one. */
  dropTarget: boolean;
  /** This person is being dragged. */
  dragging: boolean;
  onRenameStart: () => void;
  onRenameCancel: () => void;
  onRename: (name: string) => Promise<void | 'keep-open'>;
  onMerge: () => void;
  onToggleHidden: () => void;
  onDragStart: () => void;
  onDragEnd: () => void;
  onDragOverPerson: () => void;
  onDragLeavePerson: () => void;
  onDropPerson: (sourceId: string) => void;
}

const carriesPerson = (event: DragEvent) => event.dataTransfer.types.includes(PERSON_DRAG_TYPE);

/** One person in the people grid: cover face, name (renamed in place), counts, a menu; drag it onto another to merge. */
export function PersonCard(props: Props) {
  const { person, renaming, dropTarget, dragging } = props;
  // dragenter/leave fire for every child: a count of entered elements, kept out of rendering.
  const dragDepth = useRef(0);
  const label = personLabel(person);
  const href = peopleUrls.page(person.id);

  return (
    <li
      className={`person-card ${dropTarget ? 'person-card-drop' : ''} ${dragging ? 'person-card-dragging' : ''} ${person.hidden ? 'person-card-hidden' : ''}`}
      data-testid="person-card"
      data-person-id={person.id}
      draggable={!renaming}
      onDragStart={(event) => {
        event.dataTransfer.setData(PERSON_DRAG_TYPE, person.id);
        event.dataTransfer.setData('text/plain', label);
        event.dataTransfer.effectAllowed = 'move';
        props.onDragStart();
      }}
      onDragEnd={props.onDragEnd}
      onDragEnter={(event) => {
        if (!carriesPerson(event) || dragging) return;
        event.preventDefault();
        dragDepth.current += 1;
        props.onDragOverPerson();
      }}
      onDragOver={(event) => {
        if (!carriesPerson(event) || dragging) return;
        event.preventDefault();
        event.dataTransfer.dropEffect = 'move';
      }}
      onDragLeave={() => {
        // only leaving the card itself counts
        dragDepth.current = Math.max(0, dragDepth.current - 1);
        if (dragDepth.current === 0) props.onDragLeavePerson();
      }}
      onDrop={(event) => {
        dragDepth.current = 0;
        const sourceId = event.dataTransfer.getData(PERSON_DRAG_TYPE);
        if (!sourceId || sourceId === person.id) return;
        event.preventDefault();
        props.onDropPerson(sourceId);
      }}
    >
      <Link to={href} className="person-card-face" draggable={false} tabIndex={-1} aria-hidden="true">
        <FaceAvatar faceId={person.coverFaceId} />
      </Link>
      <div className="person-card-body">
        {renaming ? (
          <NameForm
            initial={person.name ?? ''}
            label={`Name for ${label === 'Unnamed' ? 'this person' : label}`}
            placeholder="Their name"
            allowEmpty
            className="person-card-form"
            onSave={props.onRename}
            onCancel={props.onRenameCancel}
          />
        ) : (
          <div className="person-card-title">
            <Link to={href} className={`person-card-name ${person.name ? '' : 'unnamed'}`} draggable={false} data-testid="person-name">
              {label}
            </Link>
            <ActionMenu
              label={`Actions for ${person.name ?? 'this unnamed person'}`}
              actions={[
                { label: person.name ? 'Rename' : 'Add a name', onSelect: props.onRenameStart },
                { label: 'Merge into…', onSelect: props.onMerge },
                { label: person.hidden ? 'Show again' : 'Hide', onSelect: props.onToggleHidden },
              ]}
            />
          </div>
        )}
        <p className="person-card-counts muted">
          {plural(person.faceCount, 'face', 'faces')} · {plural(person.photoCount, 'photo', 'photos')}
          {person.hidden ? <span className="badge person-hidden-badge">Hidden</span> : null}
        </p>
        {!person.name && !renaming ? (
          <button type="button" className="button person-card-add-name" onClick={props.onRenameStart}>
            Add a name
          </button>
        ) : null}
      </div>
    </li>
  );
}
