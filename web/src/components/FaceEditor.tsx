import { useEffect, useId, useMemo, useRef, useState, type KeyboardEvent, type ReactNode, type RefObject } from 'react';
import { photoUrls, type FaceInfo } from '../api.js';
import { assignFace, assignFaceByName, getPerson, listAllPeople, mergePeople, rejectFace, renamePerson, unassignFace, type Person } from '../client/people.js';
import { useAction } from '../hooks/useAction.js';
import { Link } from '../lib/router.js';
import { Dialog } from './Dialog.js';
import { faceLabel } from './FaceOverlay.js';
import '../styles/combobox.css';

interface Props {
  face: FaceInfo;
  onClose: () => void;
  /** After a change was saved: says what happened, for the page's status line. */
  onChanged: (message: string) => void;
  /** Names the photo's file gives that are on none of its faces: offered first. */
  hints?: readonly string[];
}

const MAX_SUGGESTIONS = 8;

/** Named people matching what was typed: names starting with it first, then a word starting with it, then containing it. */
export function matchPeople(people: readonly Person[], typed: string): Person[] {
  const q = typed.trim().toLocaleLowerCase();
  const named = people.filter((p) => p.name?.trim());
  if (!q) return named.slice(0, MAX_SUGGESTIONS);
  const rank = (name: string) => {
    const n = name.toLocaleLowerCase();
    if (n.startsWith(q)) return 0;
    if (n.split(/\s+/).some((word) => word.startsWith(q))) return 1;
    return n.includes(q) ? 2 : -1;
  };
  return named
    .map((person) => ({ person, rank: rank(person.name!) }))
    .filter((m) => m.rank >= 0)
    .sort((a, b) => a.rank - b.rank || b.person.photoCount - a.person.photoCount)
    .slice(0, MAX_SUGGESTIONS)
    .map((m) => m.person);
}

type Option = { kind: 'person'; person: Person; hint?: boolean } | { kind: 'new'; name: string; hint?: boolean };

/** The file's names matching what was typed (all when nothing is), each as its person when one has that name. */
export function hintOptions(hints: readonly string[], people: readonly Person[], typed: string): Option[] {
  const q = typed.trim().toLocaleLowerCase();
  return hints
    .filter((hint) => !q || hint.toLocaleLowerCase().includes(q))
    .map((hint): Option => {
      const person = people.find((p) => p.name?.trim().toLocaleLowerCase() === hint.trim().toLocaleLowerCase());
      return person ? { kind: 'person', person, hint: true } : { kind: 'new', name: hint, hint: true };
    });
}

/**
 * "Who is this?" for one face: type a name (suggestions from the people already named), pick a person, or say
 * it is not the person it was put with. A face grouped with other unnamed faces can name the whole group at once.
 */
export function FaceEditor({ face, onClose, onChanged, hints = [] }: Props) {
  const input = useRef<HTMLInputElement>(null);
  const ids = useId();
  const [people, setPeople] = useState<Person[] | null>(null);
  const [current, setCurrent] = useState<Person | null>(null);
  const [typed, setTyped] = useState('');
  const [active, setActive] = useState(-1);
  const [listOpen, setListOpen] = useState(true);
  const [wholeGroup, setWholeGroup] = useState(true);
  const action = useAction();
  const { busy, error, setError } = action;

  useEffect(() => {
    const controller = new AbortController();
    listAllPeople({ named: true }, controller.signal)
      .then(setPeople)
      .catch((e: unknown) => {
        if (!controller.signal.aborted) {
          setPeople([]);
          setError(`The people could not be loaded: ${e instanceof Error ? e.message : String(e)}`);
        }
      });
    if (face.personId) {
      getPerson(face.personId, controller.signal)
        .then(setCurrent)
        .catch(() => {
          // Only used for the group option; without it the face alone is named.
        });
    }
    return () => controller.abort();
  }, [face.personId, setError]);

  const suggestions = useMemo(() => matchPeople(people ?? [], typed), [people, typed]);
  const name = typed.trim();
  const exact = (people ?? []).find((p) => p.name?.trim().toLocaleLowerCase() === name.toLocaleLowerCase()) ?? null;
  const hinted = hintOptions(hints, people ?? [], typed);
  const hintedName = (option: Option) => (option.kind === 'person' ? (option.person.name ?? '') : option.name).trim().toLocaleLowerCase();
  const hintedNames = new Set(hinted.map(hintedName));
  const options: Option[] = [
    ...hinted,
    ...suggestions.filter((person) => !hintedNames.has(person.name?.trim().toLocaleLowerCase() ?? '')).map((person): Option => ({ kind: 'person', person })),
    ...(name && !exact && !hintedNames.has(name.toLocaleLowerCase()) ? [{ kind: 'new', name } as Option] : []),
  ];
  const groupSize = current && !current.name ? current.faceCount : 0;
  const canNameGroup = groupSize > 1;

  const run = (work: () => Promise<string>) =>
    action.run(async () => {
      onChanged(await work());
      onClose();
    });

  /** Puts the face (or its whole unnamed group) with `target`, an existing person or a new name. */
  const assign = (target: Option) =>
    run(async () => {
      const label = target.kind === 'person' ? target.person.name! : target.name;
      if (target.kind === 'person' && target.person.id === face.personId) return `Already ${label}`;
      if (canNameGroup && wholeGroup && face.personId) {
        if (target.kind === 'person') await mergePeople(target.person.id, [face.personId]);
        else await renamePerson(face.personId, target.name);
        return `Named ${groupSize} faces ${label}`;
      }
      if (target.kind === 'person') await assignFace(face.id, target.person.id);
      else await assignFaceByName(face.id, target.name);
      return `Named ${label}`;
    });

  const submit = () => {
    const chosen = active >= 0 && listOpen ? options[active] : undefined;
    if (chosen) return void assign(chosen);
    if (!name) {
      setError('Type a name, or pick someone from the list.');
      input.current?.focus();
      return;
    }
    void assign(exact ? { kind: 'person', person: exact } : { kind: 'new', name });
  };

  const onInputKey = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      setListOpen(true);
      if (options.length === 0) return;
      // Cycles through the options and "none" (−1, the text as typed).
      const step = event.key === 'ArrowDown' ? 1 : -1;
      const n = options.length;
      setActive((i) => ((i + 1 + step + n + 1) % (n + 1)) - 1);
    } else if (event.key === 'Escape' && listOpen && options.length > 0) {
      // The first Escape closes the list, the next one the dialog.
      event.preventDefault();
      setListOpen(false);
      setActive(-1);
    }
  };

  const currentName = face.personName;
  return (
    <Dialog
      open
      title={currentName ? 'Who is this?' : 'Name this person'}
      heading={(title) => <FaceHead face={face} groupSize={groupSize} title={title} />}
      busy={busy}
      onCancel={onClose}
      form
      className="face-dialog"
      actionsClassName="face-dialog-actions"
      testId="face-dialog"
      secondary={face.personId ? <FaceUndo currentName={currentName} busy={busy} run={run} faceId={face.id} /> : null}
      action={{ label: 'Save', busyLabel: 'Saving…', disabled: people === null, onAction: submit, testId: 'face-save' }}
    >
      <NameCombobox
        ids={ids}
        input={input}
        people={people}
        typed={typed}
        options={options}
        active={active}
        listOpen={listOpen}
        busy={busy}
        onType={(text) => {
          setTyped(text);
          setActive(-1);
          setListOpen(true);
          setError(null);
        }}
        onKeyDown={onInputKey}
        onHover={setActive}
        onPick={(option) => void assign(option)}
      />

      {canNameGroup ? (
        <label className="check">
          <input
            type="checkbox"
            checked={wholeGroup}
            onChange={(event) => setWholeGroup(event.target.checked)}
            disabled={busy}
            data-testid="face-whole-group"
          />
          <span>
            Name all {groupSize} faces grouped with this one
            <span className="sub">Untick to name only the face on this photo.</span>
          </span>
        </label>
      ) : null}

      {error ? (
        <p className="banner banner-error" role="alert">
          {error}
        </p>
      ) : null}
    </Dialog>
  );
}

/** The face's picture beside the title, and whom it is with now. */
function FaceHead({ face, groupSize, title }: { face: FaceInfo; groupSize: number; title: ReactNode }) {
  const currentName = face.personName;
  return (
    <div className="face-dialog-head">
      <img src={photoUrls.face(face.id)} alt="" width={72} height={72} className="face-dialog-thumb" />
      <div>
        {title}
        <p className="muted face-dialog-now">
          {currentName && face.personId ? (
            <>
              Now: <Link to={`/people/${encodeURIComponent(face.personId)}`}>{currentName}</Link>
              {face.assignedBy === 'auto' ? ' (recognised automatically)' : ''}
            </>
          ) : face.personId ? (
            `Grouped with ${groupSize > 1 ? `${groupSize - 1} other face${groupSize > 2 ? 's' : ''}` : 'no other face'}, not named yet`
          ) : faceLabel(face) === 'Unknown' ? (
            'Not recognised as anyone yet'
          ) : (
            faceLabel(face)
          )}
        </p>
      </div>
    </div>
  );
}

/** Taking the face from its person: never with them again, or only unnamed. */
function FaceUndo({
  faceId,
  currentName,
  busy,
  run,
}: {
  faceId: string;
  currentName?: string | null;
  busy: boolean;
  run: (work: () => Promise<string>) => unknown;
}) {
  return (
    <div className="face-dialog-secondary">
      <button
        type="button"
        className="button button-danger-outline"
        disabled={busy}
        onClick={() => void run(async () => (await rejectFace(faceId), `Not ${currentName ?? 'that person'}: taken out`))}
        title="Take the face out, and never put it with this person again (it may be recognised as someone else)"
        data-testid="face-reject"
      >
        Not {currentName ?? 'this person'}
      </button>
      <button
        type="button"
        className="button"
        disabled={busy}
        onClick={() => void run(async () => (await unassignFace(faceId), 'The face is no longer named'))}
        title="Leave the face without a person (it will not be recognised again on its own)"
        data-testid="face-unassign"
      >
        Remove name
      </button>
    </div>
  );
}

interface NameComboboxProps {
  ids: string;
  input: RefObject<HTMLInputElement | null>;
  people: Person[] | null;
  typed: string;
  options: Option[];
  active: number;
  listOpen: boolean;
  busy: boolean;
  onType: (text: string) => void;
  onKeyDown: (event: KeyboardEvent<HTMLInputElement>) => void;
  onHover: (index: number) => void;
  onPick: (option: Option) => void;
}

/** The name field with its list of people (the ARIA combobox pattern: the focus stays in the field). */
function NameCombobox({ ids, input, people, typed, options, active, listOpen, busy, onType, onKeyDown, onHover, onPick }: NameComboboxProps) {
  const listId = `${ids}-people`;
  const optionId = (i: number) => `${ids}-option-${i}`;
  return (
    <>
      <label htmlFor={`${ids}-name`} className="field-label">
        Name
      </label>
      <div className="combobox">
        <input
          ref={input}
          id={`${ids}-name`}
          className="input"
          type="text"
          role="combobox"
          autoComplete="off"
          autoFocus
          aria-autocomplete="list"
          aria-expanded={listOpen && options.length > 0}
          aria-controls={listId}
          aria-activedescendant={listOpen && active >= 0 ? optionId(active) : undefined}
          placeholder={people === null ? 'Loading people…' : people.length > 0 ? 'Type or pick a name' : 'Type a name'}
          value={typed}
          maxLength={200}
          disabled={busy}
          onChange={(event) => onType(event.target.value)}
          onKeyDown={onKeyDown}
          data-testid="face-name-input"
        />
        {listOpen && options.length > 0 ? (
          <ul id={listId} role="listbox" className="combobox-list" aria-label="People" data-testid="face-suggestions">
            {options.map((option, i) => (
              <li
                key={option.kind === 'person' ? option.person.id : `new:${option.name}`}
                id={optionId(i)}
                role="option"
                aria-selected={i === active}
                className={`combobox-option${i === active ? ' combobox-option-active' : ''}`}
                onMouseDown={(event) => event.preventDefault() /* keep the focus in the field */}
                onMouseEnter={() => onHover(i)}
                onClick={() => onPick(option)}
                data-testid="face-suggestion"
              >
                <OptionLabel option={option} />
              </li>
            ))}
          </ul>
        ) : null}
      </div>
    </>
  );
}

function OptionLabel({ option }: { option: Option }) {
  if (option.kind === 'person') {
    return (
      <>
        {option.person.coverFaceId ? (
          <img src={photoUrls.face(option.person.coverFaceId)} alt="" width={28} height={28} className="combobox-avatar" />
        ) : (
          <span className="combobox-avatar" aria-hidden="true" />
        )}
        <span className="combobox-name">{option.person.name}</span>
        <span className="combobox-count">
          {option.hint ? 'named in the file · ' : ''}
          {option.person.photoCount} photo{option.person.photoCount === 1 ? '' : 's'}
        </span>
      </>
    );
  }
  return (
    <>
      <span className="combobox-avatar combobox-avatar-new" aria-hidden="true">
        +
      </span>
      <span className="combobox-name">New person “{option.name}”</span>
      {option.hint ? <span className="combobox-count">named in the file</span> : null}
    </>
  );
}
