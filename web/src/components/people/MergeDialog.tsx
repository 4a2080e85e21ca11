import { useEffect, useId, useMemo, useState } from 'react';
import { listAllPeople, mergePeople, personLabel, type Person } from '../../client/people.js';
import { plural } from '../../lib/format.js';
import { useAction } from '../../hooks/useAction.js';
import { messageOf } from '../../hooks/useResource.js';
import { FormDialog } from '../editing/FormDialog.js';
import { FaceAvatar } from './FaceAvatar.js';

interface Props {
  /** The person to merge into another; the dialog is open while set. */
  source: Person | null;
  onMerged: (target: Person) => void;
  onCancel: () => void;
}

/**
 * The keyboard-friendly way to merge (the people grid also takes drag and drop): pick the person this one really
 * is from a filterable list of radio buttons; their faces move there and this person is removed.
 */
export function MergeDialog({ source, onMerged, onCancel }: Props) {
  const [people, setPeople] = useState<Person[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [filter, setFilter] = useState('');
  const [targetId, setTargetId] = useState<string | null>(null);
  const { busy, error, setError, run } = useAction();
  const filterId = useId();
  const listLabelId = useId();

  useEffect(() => {
    if (!source) return;
    setPeople(null);
    setLoadError(null);
    setFilter('');
    setTargetId(null);
    setError(null);
    const controller = new AbortController();
    listAllPeople({ includeHidden: true }, controller.signal)
      .then((all) => setPeople(all.filter((person) => person.id !== source.id)))
      .catch((failure: unknown) => {
        if (!controller.signal.aborted) setLoadError(messageOf(failure));
      });
    return () => controller.abort();
  }, [source, setError]);

  const shown = useMemo(() => {
    const needle = filter.trim().toLowerCase();
    if (!people || !needle) return people ?? [];
    return people.filter((person) => personLabel(person).toLowerCase().includes(needle));
  }, [people, filter]);

  const target = people?.find((person) => person.id === targetId) ?? null;

  const submit = async () => {
    if (!source || !target) return;
    await run(async () => onMerged(await mergePeople(target.id, [source.id])));
  };

  const sourceName = source ? personLabel(source) : '';
  return (
    <FormDialog
      open={source !== null}
      title={source?.name ? `Merge ${source.name} into…` : 'Merge this person into…'}
      submitLabel={target ? `Merge into ${personLabel(target)}` : 'Merge'}
      canSubmit={target !== null}
      busy={busy}
      error={error}
      className="merge-dialog"
      onSubmit={() => void submit()}
      onCancel={onCancel}
    >
      {source ? (
        <>
          <p>
            Choose who this really is. {source.name ? `${source.name}'s` : 'Their'} {plural(source.faceCount, 'face', 'faces')} move to that person and{' '}
            {source.name ? sourceName : 'this unnamed person'} is removed.
            {source.name ? ` A person without a name takes the name ${source.name}.` : ''}
          </p>
          {loadError ? (
            <p className="banner banner-error" role="alert">
              {loadError}
            </p>
          ) : people === null ? (
            <p className="muted">
              <span className="spinner spinner-inline" aria-hidden="true" /> Loading people…
            </p>
          ) : people.length === 0 ? (
            <p className="muted">There is nobody else to merge with yet.</p>
          ) : (
            <>
              <label className="merge-filter-label" htmlFor={filterId}>
                Find a person
              </label>
              <input
                id={filterId}
                className="merge-filter"
                type="search"
                value={filter}
                placeholder="Type a name"
                autoFocus
                onChange={(event) => setFilter(event.target.value)}
              />
              <p id={listLabelId} className="visually-hidden">
                People to merge into
              </p>
              <div className="merge-options" role="radiogroup" aria-labelledby={listLabelId}>
                {shown.length === 0 ? <p className="muted merge-none">Nobody matches “{filter.trim()}”.</p> : null}
                {shown.map((person) => (
                  <label key={person.id} className={`merge-option ${person.id === targetId ? 'merge-option-chosen' : ''}`}>
                    <input type="radio" name="merge-target" value={person.id} checked={person.id === targetId} onChange={() => setTargetId(person.id)} />
                    <FaceAvatar faceId={person.coverFaceId} className="face-avatar-small" />
                    <span className="merge-option-text">
                      <span className={person.name ? 'merge-option-name' : 'merge-option-name unnamed'}>{personLabel(person)}</span>
                      <span className="muted merge-option-counts">
                        {plural(person.faceCount, 'face', 'faces')} · {plural(person.photoCount, 'photo', 'photos')}
                        {person.hidden ? ' · hidden' : ''}
                      </span>
                    </span>
                  </label>
                ))}
              </div>
            </>
          )}
        </>
      ) : null}
    </FormDialog>
  );
}
