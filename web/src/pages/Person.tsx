// One person, at /people/<id>: their name (renamed in place), their faces ("not this person" on each), their
// photos. The page lays these out; its parts and its actions (usePersonActions) live in components/people/.
import { useEffect } from 'react';
import { ActionStatus } from '../components/editing/ActionStatus.js';
import { PersonDialogs } from '../components/people/PersonDialogs.js';
import { PersonFacesSection } from '../components/people/PersonFacesSection.js';
import { PersonHeader } from '../components/people/PersonHeader.js';
import { BackToPeople, PersonMissing } from '../components/people/PersonMissing.js';
import { usePersonActions } from '../components/people/usePersonActions.js';
import { usePersonFaces } from '../components/people/usePersonFaces.js';
import { Timeline } from '../components/timeline/Timeline.js';
import { getPerson, personLabel } from '../client/people.js';
import { useResource } from '../hooks/useResource.js';
import { plural } from '../lib/format.js';
import '../styles/people.css';

/** One person: their name (renamed in place), their faces ("not this person" on each), their photos. */
export function PersonPage({ id }: { id: string }) {
  const person = useResource(`person:${id}`, (signal) => getPerson(id, signal));
  const current = person.data;
  const label = current ? personLabel(current) : 'Person';

  useEffect(() => {
    document.title = `${current?.name ?? (current ? 'Unnamed person' : 'Person')} · Shoebox`;
  }, [current]);

  const faces = usePersonFaces(id);
  const actions = usePersonActions(id, person, label, faces);

  if (person.error && !current) return <PersonMissing error={person.error} onRetry={person.reload} />;

  return (
    <main className="person-page" aria-busy={person.loading}>
      <BackToPeople />

      <PersonHeader
        current={current}
        label={label}
        renaming={actions.renaming}
        onRenameStart={() => actions.setRenaming(true)}
        onRenameCancel={() => actions.setRenaming(false)}
        onRename={actions.rename}
        onMerge={() => actions.setMerging(true)}
        onToggleHidden={(target) => void actions.toggleHidden(target)}
        onDelete={() => actions.setConfirmDelete(true)}
      />

      <ActionStatus status={actions.status} onDismiss={() => actions.setStatus(null)} />

      <PersonFacesSection
        faces={faces}
        coverFaceId={current?.coverFaceId}
        busyFace={actions.busyFace}
        onReject={(face) => void actions.reject(face)}
        onMakeCover={(face) => void actions.makeCover(face)}
      />

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

      <PersonDialogs current={current} actions={actions} />
    </main>
  );
}
