import { useEffect, useState } from 'react';
import { ApiError } from '../api.js';
import {
  getMemorySettings,
  listMemories,
  putMemorySettings,
  showHiddenMemories,
  type MemoryKind,
  type MemoryList,
  type MemorySettings,
} from '../client/memories.js';
import { HomeForm } from '../components/memories/HomeForm.js';
import { MemoryCard } from '../components/memories/MemoryCard.js';
import '../styles/memories.css';

const KINDS: { kind: MemoryKind; label: string }[] = [
  { kind: 'on-this-day', label: 'On this day' },
  { kind: 'trip', label: 'Trips' },
  { kind: 'person-years', label: 'People over the years' },
];

const degrees = (v: number) => v.toFixed(4);

/** Every memory, best first, and how the user wants them: which kinds, and where home is. */
export function MemoriesPage() {
  const [list, setList] = useState<MemoryList | null>(null);
  const [settings, setSettings] = useState<MemorySettings | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const load = (fresh: boolean) =>
    Promise.all([listMemories(fresh), getMemorySettings()])
      .then(([memories, current]) => {
        setList(memories);
        setSettings(current);
      })
      .catch((reason: unknown) => setError(reason instanceof ApiError ? reason.message : 'Memories could not be loaded.'));

  useEffect(() => {
    document.title = 'Memories · Shoebox';
    void load(false);
  }, []);

  const change = async (changes: Parameters<typeof putMemorySettings>[0]) => {
    // the box shows the change at once; the answer confirms it (or the error says why not)
    if (changes.kindsOff) setSettings((current) => (current ? { ...current, kindsOff: changes.kindsOff! } : current));
    try {
      setSettings(await putMemorySettings(changes));
      setList(await listMemories(true));
    } catch (reason) {
      setError(reason instanceof ApiError ? reason.message : 'The settings could not be saved.');
    }
  };

  const home = settings?.home ?? null;
  return (
    <main className="memories-page">
      <h1>Memories</h1>
      {error ? (
        <p className="form-error" role="alert">
          {error}
        </p>
      ) : null}
      {list === null ? <p className="muted">Loading…</p> : null}
      {list && list.items.length === 0 ? (
        <p className="muted" data-testid="memories-empty">
          No memories today. They come from photos taken on this date in earlier years, trips away from home and the people you have named.
        </p>
      ) : null}
      {list && list.items.length > 0 ? (
        <ul className="memory-grid" data-testid="memory-grid">
          {list.items.map((memory) => (
            <li key={memory.id}>
              <MemoryCard memory={memory} />
            </li>
          ))}
        </ul>
      ) : null}
      {settings ? (
        <section className="memory-settings" aria-labelledby="memory-settings-title">
          <h2 id="memory-settings-title">Which memories</h2>
          {KINDS.map(({ kind, label }) => (
            <label key={kind} className="memory-kind">
              <input
                type="checkbox"
                checked={!settings.kindsOff.includes(kind)}
                onChange={(event) =>
                  void change({ kindsOff: event.target.checked ? settings.kindsOff.filter((k) => k !== kind) : [...settings.kindsOff, kind] })
                }
              />
              {label}
            </label>
          ))}
          <p className="memory-home" data-testid="memory-home">
            {home
              ? `Home is set to ${degrees(home.latitude)}, ${degrees(home.longitude)}.`
              : settings.learnedHome
                ? `Home is where you take photos on the most days: around ${degrees(settings.learnedHome.latitude)}, ${degrees(settings.learnedHome.longitude)}.`
                : 'Home is learned from where you take photos on the most days; none has a location yet.'}{' '}
            Trips are days more than 100 km away from it.
          </p>
          <HomeForm onSave={(position) => void change({ home: position })} home={home} near={settings.learnedHome} />
          <button
            type="button"
            className="button"
            onClick={() =>
              void showHiddenMemories()
                .then((restored) => {
                  setNotice(restored === 0 ? 'No memory was hidden.' : `${restored} hidden ${restored === 1 ? 'memory' : 'memories'} will show again.`);
                  return load(true);
                })
                .catch((reason: unknown) => setError(reason instanceof ApiError ? reason.message : 'That did not work.'))
            }
          >
            Show hidden memories again
          </button>
          {notice ? <p role="status">{notice}</p> : null}
        </section>
      ) : null}
    </main>
  );
}
