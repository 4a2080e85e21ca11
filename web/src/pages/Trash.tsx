import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import '../styles/trash.css';
import { deleteFromTrash, listTrash, restoreFromTrash, type TrashedPhoto } from '../client/trash.js';
import { ConfirmDialog } from '../components/ConfirmDialog.js';
import { ErrorPanel } from '../components/ErrorPanel.js';
import { PhotoGrid } from '../components/PhotoGrid.js';
import { formatInstant, formatRelative } from '../components/relative-time.js';
import { countedByMime, formatCount, photosAndVideos, plural } from '../lib/format.js';
import { Link } from '../lib/router.js';
import { errorText } from '../lib/errors.js';

const PAGE = 200;

interface TrashState {
  items: TrashedPhoto[];
  total: number;
  /** Of the total, videos. */
  videos: number;
  retentionDays: number;
  status: 'loading' | 'ready' | 'error';
  error: string | null;
  loadingMore: boolean;
}

interface DayGroup {
  key: string;
  label: string;
  items: TrashedPhoto[];
  /** The earliest purge among them (null: kept until emptied by hand). */
  expiresAt: string | null;
}

const dayFormat = new Intl.DateTimeFormat(undefined, { weekday: 'short', day: 'numeric', month: 'short', year: 'numeric' });

/** "Today", "Yesterday", or the date: the day (in the viewer's zone) a photo was moved to the trash. */
function dayOf(iso: string, now = new Date()): { key: string; label: string } {
  const date = new Date(iso);
  const key = `${date.getFullYear()}-${date.getMonth()}-${date.getDate()}`;
  const yesterday = new Date(now);
  yesterday.setDate(now.getDate() - 1);
  const same = (a: Date, b: Date) => a.getFullYear() === b.getFullYear() && a.getMonth() === b.getMonth() && a.getDate() === b.getDate();
  return { key, label: same(date, now) ? 'Today' : same(date, yesterday) ? 'Yesterday' : dayFormat.format(date) };
}

/** The trash as the server sends it (most recently trashed first), in runs of one day each. */
function byDay(items: readonly TrashedPhoto[]): DayGroup[] {
  const groups: DayGroup[] = [];
  for (const item of items) {
    const { key, label } = dayOf(item.deletedAt);
    let group = groups[groups.length - 1];
    if (!group || group.key !== key) {
      group = { key, label, items: [], expiresAt: null };
      groups.push(group);
    }
    group.items.push(item);
    if (item.expiresAt && (!group.expiresAt || item.expiresAt < group.expiresAt)) group.expiresAt = item.expiresAt;
  }
  return groups;
}

/**
 * The trash: what was deleted, when, and when it goes for good. Select photos (click, shift-click for a
 * range, or a whole day), restore them or delete them for good; or empty the trash.
 */
export function TrashPage() {
  const [state, setState] = useState<TrashState>({ items: [], total: 0, videos: 0, retentionDays: 30, status: 'loading', error: null, loadingMore: false });
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const anchor = useRef<string | null>(null);
  const [confirm, setConfirm] = useState<'selected' | 'all' | null>(null);
  const [busy, setBusy] = useState<'restore' | 'delete' | null>(null);
  const [notice, setNotice] = useState<{ text: string; restored?: boolean } | null>(null);
  const [actionError, setActionError] = useState<string | null>(null);

  useEffect(() => {
    document.title = 'Trash · Shoebox';
  }, []);

  const load = useCallback(async () => {
    try {
      const page = await listTrash(1, PAGE);
      setState({
        items: page.items,
        total: page.total,
        videos: page.videos,
        retentionDays: page.retentionDays,
        status: 'ready',
        error: null,
        loadingMore: false,
      });
      // a selection of photos no longer there is no selection
      const present = new Set(page.items.map((item) => item.id));
      setSelected((s) => new Set([...s].filter((id) => present.has(id))));
    } catch (error) {
      setState((s) => ({ ...s, status: s.status === 'ready' ? 'ready' : 'error', error: errorText(error) }));
    }
  }, []);

  useEffect(() => {
    void load();
  }, [load]);

  const loadMore = async () => {
    setState((s) => ({ ...s, loadingMore: true }));
    try {
      // Restored and deleted photos left the list: count the next page from the photos still shown.
      const page = await listTrash(Math.floor(state.items.length / PAGE) + 1, PAGE);
      setState((s) => {
        const known = new Set(s.items.map((item) => item.id));
        return {
          ...s,
          items: [...s.items, ...page.items.filter((item) => !known.has(item.id))],
          total: page.total,
          videos: page.videos,
          loadingMore: false,
          error: null,
        };
      });
    } catch (error) {
      setState((s) => ({ ...s, loadingMore: false, error: errorText(error) }));
    }
  };

  const groups = useMemo(() => byDay(state.items), [state.items]);

  const onSelect = useCallback(
    (photo: { id: string }, range: boolean) => {
      // read the anchor now: the updater below runs later, after it has moved
      const from = anchor.current ? state.items.findIndex((item) => item.id === anchor.current) : -1;
      setSelected((current) => {
        const next = new Set(current);
        const ids = state.items.map((item) => item.id);
        if (range && from !== -1) {
          const to = ids.indexOf(photo.id);
          for (const id of ids.slice(Math.min(from, to), Math.max(from, to) + 1)) next.add(id);
        } else if (next.has(photo.id)) next.delete(photo.id);
        else next.add(photo.id);
        return next;
      });
      anchor.current = photo.id;
    },
    [state.items],
  );

  const toggleDay = (group: DayGroup) => {
    const all = group.items.every((item) => selected.has(item.id));
    setSelected((current) => {
      const next = new Set(current);
      for (const item of group.items) {
        if (all) next.delete(item.id);
        else next.add(item.id);
      }
      return next;
    });
  };

  /** Photos left the trash: out of the list and the selection at once, then the list as the server has it. */
  const removed = (ids: readonly string[]) => {
    const gone = new Set(ids);
    setState((s) => {
      const goneVideos = s.items.filter((item) => gone.has(item.id) && item.mime.startsWith('video/')).length;
      return { ...s, items: s.items.filter((item) => !gone.has(item.id)), total: Math.max(0, s.total - gone.size), videos: Math.max(0, s.videos - goneVideos) };
    });
    setSelected(new Set());
    anchor.current = null;
    void load();
  };

  /** The selection's counts in words: "2 photos", "1 photo and 1 video". */
  const mimeOf = useMemo(() => new Map(state.items.map((item) => [item.id, item.mime])), [state.items]);
  const chosen = countedByMime([...selected].map((id) => mimeOf.get(id)));

  const restore = async () => {
    const ids = [...selected];
    setBusy('restore');
    setActionError(null);
    try {
      const { restored } = await restoreFromTrash(ids);
      setNotice({ text: `Restored ${chosen(restored)} to your library.`, restored: true });
      removed(ids);
    } catch (error) {
      setActionError(`Could not restore: ${errorText(error)}`);
    } finally {
      setBusy(null);
    }
  };

  const deleteForGood = async () => {
    const which = confirm;
    const ids = which === 'selected' ? [...selected] : undefined;
    setBusy('delete');
    setActionError(null);
    try {
      const { deleted } = await deleteFromTrash(ids);
      const all = (n: number) => (n === state.total ? photosAndVideos(n, state.videos) : plural(n, 'item', 'items'));
      setNotice({ text: which === 'all' ? `Emptied the trash: deleted ${all(deleted)} for good.` : `Deleted ${chosen(deleted)} for good.` });
      setConfirm(null);
      if (ids) removed(ids);
      else removed(state.items.map((item) => item.id));
    } catch (error) {
      setConfirm(null);
      setActionError(`Could not delete: ${errorText(error)}`);
    } finally {
      setBusy(null);
    }
  };

  const retention =
    state.retentionDays > 0
      ? `Items stay in the trash for ${plural(state.retentionDays, 'day', 'days')}, then they are deleted for good.`
      : 'Items stay in the trash until you empty it.';
  const count = selected.size;
  const everything = state.items.length > 0 && count === state.items.length;

  return (
    <main className="trash-page" data-testid="trash-page">
      <div className="trash-head">
        <h1>Trash</h1>
        {state.status === 'ready' && state.total > 0 ? (
          <p className="trash-summary" data-testid="trash-count" data-value={state.total}>
            {photosAndVideos(state.total, state.videos)} · <span className="muted">{retention}</span>
          </p>
        ) : null}
      </div>

      {state.status === 'ready' && state.items.length > 0 ? (
        <div className="trash-toolbar" role="toolbar" aria-label="Trash actions">
          <label className="trash-select-all">
            <input
              type="checkbox"
              checked={everything}
              ref={(node) => {
                if (node) node.indeterminate = count > 0 && !everything;
              }}
              onChange={() => setSelected(everything ? new Set() : new Set(state.items.map((item) => item.id)))}
              data-testid="select-all"
            />
            {count > 0 ? `${formatCount(count)} selected` : 'Select all'}
          </label>
          {count > 0 ? (
            <>
              <button type="button" className="button button-primary" onClick={() => void restore()} disabled={busy !== null} data-testid="restore">
                {busy === 'restore' ? 'Restoring…' : `Restore ${chosen(count)}`}
              </button>
              <button
                type="button"
                className="button button-danger-outline"
                onClick={() => setConfirm('selected')}
                disabled={busy !== null}
                data-testid="delete-selected"
              >
                Delete for good
              </button>
              <button type="button" className="button button-ghost" onClick={() => setSelected(new Set())}>
                Clear selection
              </button>
            </>
          ) : (
            <button
              type="button"
              className="button button-danger-outline trash-empty-button"
              onClick={() => setConfirm('all')}
              disabled={busy !== null}
              data-testid="empty-trash"
            >
              Empty trash
            </button>
          )}
        </div>
      ) : null}

      {notice ? (
        <p className="trash-notice" role="status" data-testid="trash-notice">
          {notice.text} {notice.restored ? <Link to="/">See your photos</Link> : null}
        </p>
      ) : null}
      {actionError || (state.status === 'ready' && state.error) ? (
        <p className="banner banner-error" role="alert">
          {actionError ?? state.error}
        </p>
      ) : null}

      {state.status === 'loading' ? (
        <p className="muted" role="status">
          <span className="spinner spinner-inline" aria-hidden="true" /> Opening the trash…
        </p>
      ) : null}
      {state.status === 'error' ? <ErrorPanel title="Cannot open the trash" message={state.error ?? 'unknown error'} onRetry={() => void load()} /> : null}

      {state.status === 'ready' && state.items.length === 0 ? (
        <section className="empty trash-empty" data-testid="trash-empty">
          <svg className="empty-mark" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
            <path
              d="M4 7h16M10 11v6M14 11v6M6 7l1 12.5A1.5 1.5 0 0 0 8.5 21h7a1.5 1.5 0 0 0 1.5-1.5L18 7M9 7V4.5A1.5 1.5 0 0 1 10.5 3h3A1.5 1.5 0 0 1 15 4.5V7"
              fill="none"
              stroke="currentColor"
              strokeWidth="1.5"
              strokeLinecap="round"
              strokeLinejoin="round"
            />
          </svg>
          <h2>The trash is empty</h2>
          <p className="muted">
            Photos you delete come here first, so that a slip is easy to undo. {retention} Resolving <Link to="/duplicates">duplicates</Link> moves the copies
            you do not keep here too.
          </p>
        </section>
      ) : null}

      {groups.map((group) => {
        const all = group.items.every((item) => selected.has(item.id));
        return (
          <section key={group.key} className="trash-day" aria-labelledby={`trash-day-${group.key}`} data-testid="trash-day">
            <header className="trash-day-head">
              <h2 id={`trash-day-${group.key}`}>
                Trashed {group.label === 'Today' || group.label === 'Yesterday' ? group.label.toLowerCase() : `on ${group.label}`}
              </h2>
              <span className="muted trash-expiry" data-testid="trash-expiry">
                {group.expiresAt ? (
                  <>
                    deleted for good{' '}
                    <time dateTime={group.expiresAt} title={formatInstant(group.expiresAt)}>
                      {formatRelative(group.expiresAt)}
                    </time>
                  </>
                ) : (
                  'kept until you empty the trash'
                )}
              </span>
              <button type="button" className="button button-ghost trash-day-select" aria-pressed={all} onClick={() => toggleDay(group)}>
                {all ? 'Deselect these' : `Select these ${formatCount(group.items.length)}`}
              </button>
            </header>
            <PhotoGrid photos={group.items} label={`Photos trashed ${group.label}`} selected={selected} onSelect={onSelect} selecting testId="trash-grid" />
          </section>
        );
      })}

      {state.status === 'ready' && state.items.length < state.total ? (
        <div className="trash-more">
          <button type="button" className="button" onClick={() => void loadMore()} disabled={state.loadingMore}>
            {state.loadingMore ? 'Loading…' : `Show more (${formatCount(state.total - state.items.length)} not shown)`}
          </button>
        </div>
      ) : null}

      <ConfirmDialog
        open={confirm !== null}
        title={confirm === 'all' ? 'Empty the trash?' : `Delete ${chosen(count)} for good?`}
        confirmLabel={confirm === 'all' ? `Delete all ${formatCount(state.total)}` : 'Delete for good'}
        danger
        busy={busy === 'delete'}
        onConfirm={() => void deleteForGood()}
        onCancel={() => setConfirm(null)}
      >
        <p>
          {confirm === 'all'
            ? `All ${photosAndVideos(state.total, state.videos)} in the trash are deleted for good: their files and everything Shoebox found in them.`
            : 'Their files and everything Shoebox found in them are removed.'}
        </p>
        <p>This cannot be undone.</p>
      </ConfirmDialog>
    </main>
  );
}
