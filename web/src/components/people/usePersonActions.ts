// What can be done on a person's page, and what it did: rename (offering a merge when the name is taken), merge,
// hide or show, delete, and per face "not this person" (with Undo) and "use as cover". Keeps the person's counts
// and the timeline's copy of their photos fresh after faces change hands.
import { useEffect, useState } from 'react';
import {
  assignFace,
  deletePerson,
  getPerson,
  mergePeople,
  peopleUrls,
  rejectFace,
  renamePerson,
  setPersonCover,
  setPersonHidden,
  type Face,
  type Person,
} from '../../client/people.js';
import { messageOf, type Resource } from '../../hooks/useResource.js';
import { navigate } from '../../lib/router.js';
import { library } from '../../store/library.js';
import type { StatusMessage } from '../editing/ActionStatus.js';
import { findNamesake } from './namesake.js';
import type { PersonFaces } from './usePersonFaces.js';

export type PersonActions = ReturnType<typeof usePersonActions>;

/** `label`: the person's name as shown ('Unnamed' without one). */
export function usePersonActions(id: string, person: Resource<Person>, label: string, faces: Pick<PersonFaces, 'load' | 'drop'>) {
  const [busyFace, setBusyFace] = useState<string | null>(null);
  const [renaming, setRenaming] = useState(false);
  const [merging, setMerging] = useState(false);
  /** Someone else who already has the name just given: the page asks whether to merge into them. */
  const [namesake, setNamesake] = useState<Person | null>(null);
  const [namesakeBusy, setNamesakeBusy] = useState(false);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const [status, setStatus] = useState<StatusMessage | null>(null);

  // The timeline keeps orderings it has seen: this person's photos may have changed since (a merge, a face named).
  useEffect(() => {
    const sequence = library.sequence({ person: id });
    if (sequence.getSnapshot().status !== 'idle') void sequence.refresh();
  }, [id]);

  /** Fetches this person's photos again after faces changed hands. */
  const refreshPhotos = () => void library.sequence({ person: id }).refresh();

  /** Fresh counts and cover after faces changed. */
  const refreshPerson = () => {
    getPerson(id)
      .then((fresh) => person.setData(() => fresh))
      .catch(() => person.reload());
  };

  const rename = async (name: string): Promise<void | 'keep-open'> => {
    const other = await findNamesake(id, name);
    if (other) {
      setNamesake(other);
      return 'keep-open';
    }
    const updated = await renamePerson(id, name);
    person.setData(() => updated);
    setRenaming(false);
    setStatus({ text: updated.name ? `Named ${updated.name}.` : 'Name removed.' });
  };

  const mergeWithNamesake = async () => {
    if (!namesake) return;
    setNamesakeBusy(true);
    try {
      const target = await mergePeople(namesake.id, [id]);
      navigate(peopleUrls.page(target.id), { replace: true });
    } catch (failure) {
      setStatus({ text: messageOf(failure), error: true });
      setNamesake(null);
      setNamesakeBusy(false);
    }
  };

  const toggleHidden = async (target: Person) => {
    try {
      const updated = await setPersonHidden(target.id, !target.hidden);
      person.setData(() => updated);
      setStatus({
        text: updated.hidden ? 'Hidden: left out of the people page and of search suggestions.' : 'Shown again on the people page.',
        action: { label: 'Undo', run: () => void toggleHidden(updated) },
      });
    } catch (failure) {
      setStatus({ text: messageOf(failure), error: true });
    }
  };

  const reject = async (face: Face) => {
    setBusyFace(face.id);
    try {
      await rejectFace(face.id, id);
      faces.drop(face.id);
      refreshPhotos();
      refreshPerson();
      setStatus({
        text: `Face removed from ${label === 'Unnamed' ? 'this person' : label}; it will not be grouped with them again.`,
        action: {
          label: 'Undo',
          run: () => {
            assignFace(face.id, id)
              .then(() => {
                void faces.load(0);
                refreshPhotos();
                refreshPerson();
                setStatus({ text: 'Face put back.' });
              })
              .catch((failure: unknown) => setStatus({ text: messageOf(failure), error: true }));
          },
        },
      });
    } catch (failure) {
      setStatus({ text: messageOf(failure), error: true });
    } finally {
      setBusyFace(null);
    }
  };

  const makeCover = async (face: Face) => {
    setBusyFace(face.id);
    try {
      const updated = await setPersonCover(id, face.id);
      person.setData(() => updated);
      setStatus({ text: 'Cover photo changed.' });
    } catch (failure) {
      person.reload();
      setStatus({ text: messageOf(failure), error: true });
    } finally {
      setBusyFace(null);
    }
  };

  const remove = async () => {
    setDeleting(true);
    try {
      await deletePerson(id);
      navigate('/people', { replace: true });
    } catch (failure) {
      setConfirmDelete(false);
      setDeleting(false);
      setStatus({ text: messageOf(failure), error: true });
    }
  };

  return {
    status,
    setStatus,
    busyFace,
    renaming,
    setRenaming,
    merging,
    setMerging,
    namesake,
    setNamesake,
    namesakeBusy,
    confirmDelete,
    setConfirmDelete,
    deleting,
    rename,
    mergeWithNamesake,
    toggleHidden,
    reject,
    makeCover,
    remove,
  };
}
