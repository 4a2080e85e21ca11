import { useCallback, useEffect, useState } from 'react';
import { photoUrls } from '../api.js';
import { ConfirmDialog } from '../components/ConfirmDialog.js';
import { ErrorPanel } from '../components/ErrorPanel.js';
import { ActionStatus, type StatusMessage } from '../components/editing/ActionStatus.js';
import { NameForm } from '../components/editing/NameForm.js';
import { FaceAvatar } from '../components/people/FaceAvatar.js';
import { MergeDialog } from '../components/people/MergeDialog.js';
import { findNamesake } from '../components/people/namesake.js';
import { Timeline } from '../components/timeline/Timeline.js';
import {
  assignFace,
  deletePerson,
  getPerson,
  getPersonFaces,
  mergePeople,
  peopleUrls,
  personLabel,
  rejectFace,
  renamePerson,
  setPersonCover,
  setPersonHidden,
  type Face,
  type Person,
} from '../client/people.js';
import { messageOf, useResource } from '../hooks/useResource.js';
import { formatCount } from '../lib/format.js';
import { Link, navigate } from '../lib/router.js';
import { library } from '../store/library.js';
import '../styles/people.css';

const FACE_PAGE = 60;
const plural = (n: number, one: string, many: string) => `${formatCount(n)} ${n === 1 ? one : many}`;

/** One person: their name (renamed in place), their faces ("not this person" on each), their photos. */
export function PersonPage({ id }: { id: string }) {
  const person = useResource(`person:${id}`, (signal) => getPerson(id, signal));
  const [faces, setFaces] = useState<Face[] | null>(null);
  const [facesError, setFacesError] = useState<string | null>(null);
  const [moreFaces, setMoreFaces] = useState(false);
  const [loadingFaces, setLoadingFaces] = useState(false);
  const [busyFace, setBusyFace] = useState<string | null>(null);
  const [renaming, setRenaming] = useState(false);
  const [merging, setMerging] = useState(false);
  const [namesake, setNamesake] = useState<Person | null>(null);
  const [namesakeBusy, setNamesakeBusy] = useState(false);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const [status, setStatus] = useState<StatusMessage | null>(null);

  const current = person.data;
  const label = current ? personLabel(current) : 'Person';

  useEffect(() => {
    document.title = `${current?.name ?? (current ? 'Unnamed person' : 'Person')} — Shoebox`;
  }, [current]);

  const loadFaces = useCallback(
    async (from: number, signal?: AbortSignal) => {
      setLoadingFaces(true);
      try {
        // The API pages by page number; FACE_PAGE divides every offset asked for here.
        const page = Math.floor(from / FACE_PAGE) + 1;
        const items = await getPersonFaces(id, { page, limit: FACE_PAGE }, signal);
        if (signal?.aborted) return;
        setFaces((list) => (from === 0 ? items : [...(list ?? []), ...items]));
        setMoreFaces(items.length === FACE_PAGE);
        setFacesError(null);
      } catch (failure) {
        if (!signal?.aborted) setFacesError(messageOf(failure));
      } finally {
        if (!signal?.aborted) setLoadingFaces(false);
      }
    },
    [id],
  );

  useEffect(() => {
    const controller = new AbortController();
    void loadFaces(0, controller.signal);
    return () => controller.abort();
  }, [loadFaces]);

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
      setFaces((list) => list?.filter((f) => f.id !== face.id) ?? null);
      refreshPhotos();
      refreshPerson();
      setStatus({
        text: `Face removed from ${label === 'Unnamed' ? 'this person' : label}; it will not be grouped with them again.`,
        action: {
          label: 'Undo',
          run: () => {
            assignFace(face.id, id)
              .then(() => {
                void loadFaces(0);
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

  if (person.error && !current) {
    return (
      <main className="person-page">
        <p className="back-row">
          <Link to="/people" className="back-link">
            ← People
          </Link>
        </p>
        {person.error.status === 404 ? (
          <section className="panel" data-testid="person-missing">
            <h1>This person is not here any more</h1>
            <p>They may have been merged into someone else, or deleted. Their faces and photos are still in your library.</p>
            <Link to="/people" className="button button-primary">
              See everyone
            </Link>
          </section>
        ) : (
          <ErrorPanel title="Could not load this person" message={person.error.message} onRetry={person.reload} />
        )}
      </main>
    );
  }

  return (
    <main className="person-page" aria-busy={person.loading}>
      <p className="back-row">
        <Link to="/people" className="back-link">
          ← People
        </Link>
      </p>

      <div className="person-head">
        <FaceAvatar faceId={current?.coverFaceId ?? null} lazy={false} />
        <div className="person-head-main">
          <div className="person-title-row">
            {renaming && current ? (
              <NameForm
                initial={current.name ?? ''}
                label="Their name"
                placeholder="Their name"
                allowEmpty
                onSave={rename}
                onCancel={() => setRenaming(false)}
              />
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
              <button type="button" className={`button ${current.name ? '' : 'button-primary'}`} onClick={() => setRenaming(true)}>
                {current.name ? 'Rename' : 'Add a name'}
              </button>
              <button type="button" className="button" onClick={() => setMerging(true)}>
                Merge into…
              </button>
              <button type="button" className="button" onClick={() => void toggleHidden(current)}>
                {current.hidden ? 'Show again' : 'Hide'}
              </button>
              <button type="button" className="button button-danger-outline" onClick={() => setConfirmDelete(true)}>
                Delete
              </button>
            </div>
          ) : null}
        </div>
      </div>

      <ActionStatus status={status} onDismiss={() => setStatus(null)} />

      <section className="person-section" aria-labelledby="faces-title">
        <div className="person-section-head">
          <h2 id="faces-title">Faces</h2>
          <p className="muted">Not them? Choose “Not this person” and the face will not be grouped with them again.</p>
        </div>
        {facesError ? (
          <p className="banner banner-error" role="alert">
            {facesError}{' '}
            <button type="button" className="button" onClick={() => void loadFaces(0)}>
              Try again
            </button>
          </p>
        ) : faces === null ? (
          <p className="muted">
            <span className="spinner spinner-inline" aria-hidden="true" /> Loading faces…
          </p>
        ) : faces.length === 0 ? (
          <p className="muted" data-testid="no-faces">
            No faces left. Photos where this person appears can be named from the photo page.
          </p>
        ) : (
          <>
            <ul className="face-grid" data-testid="face-grid">
              {faces.map((face) => {
                const isCover = current?.coverFaceId === face.id;
                return (
                  <li
                    key={face.id}
                    className={`face-cell ${busyFace === face.id ? 'face-cell-busy' : ''} ${isCover ? 'face-cell-cover' : ''}`}
                    data-testid="face-cell"
                    data-face-id={face.id}
                  >
                    <Link to={photoUrls.page(face.photoId)} className="face-cell-link" aria-label={`Open the photo of this face`}>
                      <FaceAvatar faceId={face.id} />
                    </Link>
                    {isCover ? <span className="face-cell-note">Cover</span> : null}
                    <div className="face-cell-actions">
                      <button
                        type="button"
                        className="button"
                        disabled={busyFace !== null}
                        onClick={() => void reject(face)}
                        data-testid="reject-face"
                      >
                        Not this person
                      </button>
                      {!isCover ? (
                        <button type="button" className="button button-ghost" disabled={busyFace !== null} onClick={() => void makeCover(face)}>
                          Use as cover
                        </button>
                      ) : null}
                    </div>
                  </li>
                );
              })}
            </ul>
            {moreFaces ? (
              <div className="face-more">
                <button type="button" className="button" disabled={loadingFaces} onClick={() => void loadFaces(faces.length)}>
                  {loadingFaces ? 'Loading…' : 'Show more faces'}
                </button>
              </div>
            ) : null}
          </>
        )}
      </section>

      <section className="person-photos" aria-labelledby="photos-title">
        <div className="person-section-head">
          <h2 id="photos-title">Photos</h2>
          {current ? <p className="muted">{plural(current.photoCount, 'photo', 'photos')}</p> : null}
        </div>
        <Timeline
          filter={{ person: id }}
          label={`Photos of ${current?.name ?? 'this person'}, newest first`}
          empty={<p className="muted">No photos of this person right now (photos in the trash are left out).</p>}
        />
      </section>

      <MergeDialog
        source={merging ? current : null}
        onCancel={() => setMerging(false)}
        onMerged={(target) => {
          setMerging(false);
          navigate(peopleUrls.page(target.id), { replace: true });
        }}
      />

      <ConfirmDialog
        open={namesake !== null}
        title={`There is already someone called ${namesake?.name ?? ''}`}
        confirmLabel={`Merge into ${namesake?.name ?? ''}`}
        busy={namesakeBusy}
        onConfirm={() => void mergeWithNamesake()}
        onCancel={() => setNamesake(null)}
      >
        <p>Are they the same person? Merge them so that all their faces and photos are together.</p>
      </ConfirmDialog>

      <ConfirmDialog
        open={confirmDelete}
        title={current?.name ? `Delete ${current.name}?` : 'Delete this person?'}
        confirmLabel="Delete person"
        danger
        busy={deleting}
        onConfirm={() => void remove()}
        onCancel={() => setConfirmDelete(false)}
      >
        <p>
          The person is removed; their {current ? plural(current.faceCount, 'face stays', 'faces stay') : 'faces stay'} in your photos without a
          name, and no photo is deleted.
        </p>
      </ConfirmDialog>
    </main>
  );
}
