import { useEffect, useMemo, useState } from 'react';
import { ConfirmDialog } from '../components/ConfirmDialog.js';
import { ErrorPanel } from '../components/ErrorPanel.js';
import { ActionStatus, type StatusMessage } from '../components/editing/ActionStatus.js';
import { MergeDialog } from '../components/people/MergeDialog.js';
import { findNamesake } from '../components/people/namesake.js';
import { PersonCard } from '../components/people/PersonCard.js';
import { listAllPeople, mergePeople, personLabel, renamePerson, setPersonHidden, type Person } from '../client/people.js';
import { messageOf, useResource } from '../hooks/useResource.js';
import { formatCount } from '../lib/format.js';
import { Link, navigate, useLocation } from '../lib/router.js';
import '../styles/people.css';

interface PendingMerge {
  source: Person;
  target: Person;
  /** 'drag': dropped one onto the other; 'name': renamed to the target's name. */
  reason: 'drag' | 'name';
}

/** Focuses a person's name link once the card has re-rendered (after renaming in place). */
function focusName(personId: string): void {
  requestAnimationFrame(() => document.querySelector<HTMLElement>(`[data-person-id="${personId}"] .person-card-name`)?.focus());
}

/** The people found in the photos: rename in place, merge (drag and drop, or a dialog), hide and show. */
export function PeoplePage() {
  const location = useLocation();
  const showHidden = new URLSearchParams(location.search).get('hidden') === '1';
  const people = useResource('people', (signal) => listAllPeople({ includeHidden: true }, signal));
  const [renamingId, setRenamingId] = useState<string | null>(null);
  const [mergeSource, setMergeSource] = useState<Person | null>(null);
  const [pending, setPending] = useState<PendingMerge | null>(null);
  const [merging, setMerging] = useState(false);
  const [dragId, setDragId] = useState<string | null>(null);
  const [dropId, setDropId] = useState<string | null>(null);
  const [status, setStatus] = useState<StatusMessage | null>(null);

  useEffect(() => {
    document.title = 'People · Shoebox';
  }, []);

  const all = useMemo(() => people.data ?? [], [people.data]);
  const visible = useMemo(() => all.filter((person) => !person.hidden), [all]);
  const hidden = useMemo(() => all.filter((person) => person.hidden), [all]);
  const byId = (id: string) => all.find((person) => person.id === id) ?? null;

  const replace = (updated: Person) => people.setData((list) => list?.map((person) => (person.id === updated.id ? updated : person)) ?? null);
  const afterMerge = (sourceId: string, target: Person) => {
    people.setData((list) => list?.filter((person) => person.id !== sourceId).map((person) => (person.id === target.id ? target : person)) ?? null);
  };

  const rename = async (person: Person, name: string): Promise<void | 'keep-open'> => {
    const namesake = await findNamesake(person.id, name, all);
    if (namesake) {
      setPending({ source: person, target: namesake, reason: 'name' });
      return 'keep-open';
    }
    const updated = await renamePerson(person.id, name);
    replace(updated);
    setRenamingId(null);
    setStatus({ text: updated.name ? `Named ${updated.name}.` : 'Name removed.' });
    focusName(person.id);
  };

  const toggleHidden = async (person: Person) => {
    try {
      const updated = await setPersonHidden(person.id, !person.hidden);
      replace(updated);
      setStatus({
        text: updated.hidden
          ? `${personLabel(updated) === 'Unnamed' ? 'This person is' : `${updated.name} is`} hidden.`
          : `${personLabel(updated)} is shown again.`,
        action: { label: 'Undo', run: () => void toggleHidden(updated) },
      });
    } catch (failure) {
      setStatus({ text: messageOf(failure), error: true });
    }
  };

  const confirmMerge = async () => {
    if (!pending) return;
    setMerging(true);
    try {
      const target = await mergePeople(pending.target.id, [pending.source.id]);
      afterMerge(pending.source.id, target);
      if (renamingId === pending.source.id) setRenamingId(null);
      setStatus({ text: `Merged ${personLabel(pending.source)} into ${personLabel(target)}.` });
      setPending(null);
      focusName(target.id);
    } catch (failure) {
      setStatus({ text: messageOf(failure), error: true });
      setPending(null);
    } finally {
      setMerging(false);
    }
  };

  const card = (person: Person) => (
    <PersonCard
      key={person.id}
      person={person}
      renaming={renamingId === person.id}
      dropTarget={dropId === person.id && dragId !== person.id}
      dragging={dragId === person.id}
      onRenameStart={() => setRenamingId(person.id)}
      onRenameCancel={() => {
        setRenamingId(null);
        focusName(person.id);
      }}
      onRename={(name) => rename(person, name)}
      onMerge={() => setMergeSource(person)}
      onToggleHidden={() => void toggleHidden(person)}
      onDragStart={() => setDragId(person.id)}
      onDragEnd={() => {
        setDragId(null);
        setDropId(null);
      }}
      onDragOverPerson={() => setDropId(person.id)}
      onDragLeavePerson={() => setDropId((current) => (current === person.id ? null : current))}
      onDropPerson={(sourceId) => {
        setDragId(null);
        setDropId(null);
        const source = byId(sourceId);
        if (source) setPending({ source, target: person, reason: 'drag' });
      }}
    />
  );

  if (people.error && !people.data) {
    return (
      <main className="people-page">
        <ErrorPanel title="Could not load people" message={people.error.message} onRetry={people.reload} />
      </main>
    );
  }

  const named = visible.filter((person) => person.name);
  const unnamed = visible.filter((person) => !person.name);

  return (
    <main className="people-page" aria-busy={people.loading}>
      <div className="page-head">
        <div>
          <h1>People</h1>
          {people.data ? (
            <p className="muted page-head-sub" data-testid="people-summary">
              {formatCount(visible.length)} {visible.length === 1 ? 'person' : 'people'}
              {visible.length > 0 ? ` · ${formatCount(named.length)} named` : ''}
              {hidden.length > 0 ? ` · ${formatCount(hidden.length)} hidden` : ''}
            </p>
          ) : null}
        </div>
        {hidden.length > 0 || showHidden ? (
          <button
            type="button"
            className="button"
            aria-pressed={showHidden}
            onClick={() => navigate(showHidden ? '/people' : '/people?hidden=1', { replace: true })}
            data-testid="toggle-hidden"
          >
            {showHidden ? 'Hide hidden people' : `Show hidden people (${formatCount(hidden.length)})`}
          </button>
        ) : null}
      </div>

      <ActionStatus status={status} onDismiss={() => setStatus(null)} />

      {!people.data ? (
        <ul className="people-grid" aria-label="Loading people">
          {Array.from({ length: 8 }, (_, i) => (
            <li key={i} className="person-card person-card-skeleton" aria-hidden="true">
              <span className="face-avatar skeleton" />
              <span className="skeleton skeleton-line" />
            </li>
          ))}
        </ul>
      ) : all.length === 0 ? (
        <PeopleEmpty />
      ) : (
        <>
          {visible.length > 1 ? (
            <p className="muted people-hint">
              Is someone here twice? Drag one onto the other to merge them, or choose <strong>Merge into…</strong> in their ⋯ menu.
            </p>
          ) : null}
          {visible.length === 0 ? <p className="people-all-hidden">Everyone found so far is hidden. Show hidden people to see them.</p> : null}
          {named.length > 0 ? (
            <section aria-labelledby="people-named">
              <h2 id="people-named" className={unnamed.length > 0 ? 'people-section-title' : 'visually-hidden'}>
                Named <span className="muted">{formatCount(named.length)}</span>
              </h2>
              <ul className="people-grid" data-testid="people-grid">
                {named.map(card)}
              </ul>
            </section>
          ) : null}
          {unnamed.length > 0 ? (
            <section aria-labelledby="people-unnamed">
              <h2 id="people-unnamed" className={named.length > 0 ? 'people-section-title' : 'visually-hidden'}>
                Not named yet <span className="muted">{formatCount(unnamed.length)}</span>
              </h2>
              <ul className="people-grid" data-testid="people-grid">
                {unnamed.map(card)}
              </ul>
            </section>
          ) : null}
          {showHidden && hidden.length > 0 ? (
            <section aria-labelledby="people-hidden" className="people-hidden-section">
              <h2 id="people-hidden" className="people-section-title">
                Hidden <span className="muted">{formatCount(hidden.length)}</span>
              </h2>
              <p className="muted">Hidden people are left out of this page and of search suggestions; their photos stay in your library.</p>
              <ul className="people-grid" data-testid="hidden-grid">
                {hidden.map(card)}
              </ul>
            </section>
          ) : null}
        </>
      )}

      <MergeDialog
        source={mergeSource}
        onCancel={() => setMergeSource(null)}
        onMerged={(target) => {
          const source = mergeSource!;
          afterMerge(source.id, target);
          setMergeSource(null);
          setStatus({ text: `Merged ${personLabel(source)} into ${personLabel(target)}.` });
          focusName(target.id);
        }}
      />

      <ConfirmDialog
        open={pending !== null}
        title={pending?.reason === 'name' ? `There is already someone called ${pending.target.name}` : 'Merge these people?'}
        confirmLabel={pending ? `Merge into ${personLabel(pending.target)}` : 'Merge'}
        busy={merging}
        onConfirm={() => void confirmMerge()}
        onCancel={() => setPending(null)}
      >
        {pending ? <MergeExplanation pending={pending} /> : null}
      </ConfirmDialog>
    </main>
  );
}

function MergeExplanation({ pending }: { pending: PendingMerge }) {
  const { source, target } = pending;
  const faces = `${formatCount(source.faceCount)} ${source.faceCount === 1 ? 'face' : 'faces'}`;
  return (
    <>
      {pending.reason === 'name' ? <p>Are they the same person? Merge them so that all their photos are together.</p> : null}
      <p>
        {source.name ? `${source.name}'s` : 'The'} {faces}
        {source.name ? '' : ' of this unnamed person'} will move to <strong>{personLabel(target)}</strong>, and {source.name ?? 'the unnamed person'} will be
        removed.
        {!target.name && source.name ? ` The merged person will be called ${source.name}.` : ''}
      </p>
      <div className="merge-preview" aria-hidden="true">
        <span className="merge-preview-name">{personLabel(source)}</span>
        <span className="merge-preview-arrow">→</span>
        <span className="merge-preview-name">{personLabel(target)}</span>
      </div>
    </>
  );
}

function PeopleEmpty() {
  return (
    <section className="empty" data-testid="people-empty">
      <svg viewBox="0 0 24 24" className="empty-mark" aria-hidden="true" focusable="false">
        <circle cx="9" cy="8.5" r="3.6" fill="currentColor" opacity="0.6" />
        <path d="M2 20c.7-3.9 3.6-6.2 7-6.2s6.3 2.3 7 6.2z" fill="currentColor" opacity="0.6" />
        <circle cx="16.5" cy="9.5" r="3" fill="currentColor" opacity="0.35" />
        <path d="M14.2 14.3c.7-.2 1.5-.3 2.3-.3 3 0 5.3 2 5.8 5.3h-4.6" fill="currentColor" opacity="0.35" />
      </svg>
      <h2>No people yet</h2>
      <p>
        Shoebox looks for faces as your photos are processed, and groups the faces of one person together once they appear in a few photos. Name them here, and
        find them by name in search.
      </p>
      <p className="muted">
        Add photos with people in them (Upload, or <code>shoebox import &lt;folder&gt;</code> on the server), then follow the progress on the{' '}
        <Link to="/jobs">Jobs</Link> page.
      </p>
    </section>
  );
}
