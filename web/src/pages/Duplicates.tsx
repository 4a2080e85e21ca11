import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react';
import '../styles/duplicates.css';
import { ApiError } from '../api.js';
import { dismissDuplicateGroup, resolveDuplicateGroup, type DuplicateGroup, type GroupKind } from '../client/duplicates.js';
import { restoreFromTrash } from '../client/trash.js';
import { GroupCard } from '../components/duplicates/GroupCard.js';
import { ShortcutsDialog } from '../components/duplicates/ShortcutsDialog.js';
import { useDuplicateGroups } from '../components/duplicates/useDuplicateGroups.js';
import { ErrorPanel } from '../components/ErrorPanel.js';
import { formatCount } from '../lib/format.js';
import { Link, navigate, useLocation } from '../lib/router.js';
import { useLibrary } from '../store/library.js';

type Filter = GroupKind | 'all';

const FILTERS: readonly { value: Filter; label: string }[] = [
  { value: 'duplicate', label: 'Duplicates' },
  { value: 'burst', label: 'Bursts' },
  { value: 'all', label: 'All' },
];

/** Load the next page while this many groups are still ahead of the one under review. */
const LOOKAHEAD = 5;

interface Notice {
  text: string;
  /** Photos a resolve moved to the trash: "Undo" restores them. */
  undo?: string[];
}

const errorText = (error: unknown) => (error instanceof Error ? error.message : String(error));
const plural = (n: number, one: string, many: string) => `${formatCount(n)} ${n === 1 ? one : many}`;

/** Does this key press belong to a text field (or a modifier shortcut of the browser)? Then it is not ours. */
function notForUs(event: KeyboardEvent): boolean {
  if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return true;
  const target = event.target as HTMLElement | null;
  if (!target) return false;
  if (target.isContentEditable || target.closest('textarea, select')) return true;
  const input = target.closest('input');
  return !!input && input.type !== 'checkbox' && input.type !== 'radio';
}

/** Which number key was pressed (1–9), by physical key so that Shift+1 counts too. */
function digitOf(event: KeyboardEvent): number | null {
  const match = /^(?:Digit|Numpad)([1-9])$/.exec(event.code) ?? /^([1-9])$/.exec(event.key);
  return match ? Number(match[1]) : null;
}

/**
 * Reviewing duplicate and burst groups, built for long sessions at the keyboard: one group is under review
 * (highlighted), j/k move between groups, ←/→ or 1–9 choose the photo to keep, Enter resolves, d dismisses.
 */
export function DuplicatesPage() {
  const location = useLocation();
  const params = new URLSearchParams(location.search);
  const requested = params.get('kind');
  /** A group to review first (the photo page links here with it); its kind is not known, so all kinds show. */
  const wanted = params.get('group');
  const filter: Filter = requested === 'burst' || requested === 'all' || requested === 'duplicate' ? requested : wanted ? 'all' : 'duplicate';
  const data = useDuplicateGroups(filter === 'all' ? undefined : filter);
  const { groups } = data;
  const library = useLibrary();

  const [activeId, setActiveId] = useState<string | null>(null);
  const [choices, setChoices] = useState<Record<string, string[]>>({});
  const [busy, setBusy] = useState<{ id: string; action: 'resolve' | 'dismiss' } | null>(null);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [notice, setNotice] = useState<Notice | null>(null);
  const [reviewed, setReviewed] = useState(0);
  const [help, setHelp] = useState(false);
  const elements = useRef(new Map<string, HTMLElement>());
  /** Set when the keyboard moved the review: the new group is focused and scrolled to. */
  const bringIntoView = useRef(false);
  /** After an undo, the group holding this photo (back in the list) becomes the one under review. */
  const reviewPhoto = useRef<string | null>(null);

  useEffect(() => {
    document.title = 'Duplicates · Shoebox';
  }, []);

  const activeIndex = Math.max(
    0,
    groups.findIndex((g) => g.id === activeId),
  );
  const active: DuplicateGroup | undefined = groups[activeIndex];

  // After an undo: review the group that came back.
  useEffect(() => {
    const photoId = reviewPhoto.current;
    if (!photoId) return;
    const back = groups.find((g) => g.members.some((m) => m.photo.id === photoId));
    if (back) {
      reviewPhoto.current = null;
      bringIntoView.current = true;
      setActiveId(back.id);
    }
  }, [groups]);

  // Opened for one group: it comes under review once it has loaded.
  const openedWanted = useRef(false);
  useEffect(() => {
    if (!wanted || openedWanted.current) return;
    if (!groups.some((g) => g.id === wanted)) return;
    openedWanted.current = true;
    bringIntoView.current = true;
    setActiveId(wanted);
  }, [groups, wanted]);

  // Keep a few groups ahead loaded.
  useEffect(() => {
    if (groups.length - activeIndex <= LOOKAHEAD) void data.loadMore();
  }, [activeIndex, groups.length, data.loadMore]);

  useLayoutEffect(() => {
    if (!bringIntoView.current || !active) return;
    bringIntoView.current = false;
    const node = elements.current.get(active.id);
    if (!node) return;
    node.focus({ preventScroll: true });
    const smooth = !window.matchMedia('(prefers-reduced-motion: reduce)').matches;
    node.scrollIntoView({ block: 'start', behavior: smooth ? 'smooth' : 'auto' });
  }, [active]);

  const keepOf = useCallback(
    (group: DuplicateGroup): string[] => choices[group.id] ?? [group.keeperId ?? group.members[0]!.photo.id],
    [choices],
  );

  const review = (index: number) => {
    const target = groups[Math.min(Math.max(index, 0), groups.length - 1)];
    if (!target) return;
    bringIntoView.current = true;
    setActiveId(target.id);
  };

  const choose = (group: DuplicateGroup, photoId: string) => setChoices((c) => ({ ...c, [group.id]: [photoId] }));
  const toggle = (group: DuplicateGroup, photoId: string) => {
    const keep = keepOf(group);
    // at least one photo stays: unticking the last one is a no-op
    const next = keep.includes(photoId) ? keep.filter((id) => id !== photoId) : [...keep, photoId];
    if (next.length > 0) setChoices((c) => ({ ...c, [group.id]: next }));
  };

  /** A group is settled: the next one comes under review, this one leaves the list. */
  const settle = (group: DuplicateGroup) => {
    const index = groups.findIndex((g) => g.id === group.id);
    const next = groups[index + 1] ?? groups[index - 1];
    if (activeId === group.id || (!activeId && index === 0)) {
      bringIntoView.current = true;
      setActiveId(next?.id ?? null);
    }
    data.remove(group.id);
    setReviewed((n) => n + 1);
  };

  const fail = (group: DuplicateGroup, error: unknown) => {
    if (error instanceof ApiError && error.status === 404) {
      // settled elsewhere (another tab, the CLI) meanwhile
      settle(group);
      setNotice({ text: 'That group was already settled elsewhere.' });
      return;
    }
    setErrors((e) => ({ ...e, [group.id]: errorText(error) }));
  };

  const resolve = async (group: DuplicateGroup) => {
    if (busy) return;
    if (group.kind !== 'duplicate') {
      setNotice({ text: 'A burst is never resolved by deleting frames: press d to unstack it if it is not a burst.' });
      return;
    }
    const keep = keepOf(group);
    setBusy({ id: group.id, action: 'resolve' });
    setErrors(({ [group.id]: _gone, ...rest }) => rest);
    try {
      const result = await resolveDuplicateGroup(group.id, keep);
      const keptName = group.members.find((m) => m.photo.id === result.kept[0])?.photo.filename ?? 'the chosen photo';
      const kept = result.kept.length === 1 ? keptName : plural(result.kept.length, 'photo', 'photos');
      setNotice({
        text: result.trashed.length
          ? `Kept ${kept}; moved ${plural(result.trashed.length, 'photo', 'photos')} to the trash.`
          : `Kept all ${formatCount(result.kept.length)}: they will not be grouped again.`,
        undo: result.trashed.length ? result.trashed : undefined,
      });
      settle(group);
    } catch (error) {
      fail(group, error);
    } finally {
      setBusy(null);
    }
  };

  const dismiss = async (group: DuplicateGroup) => {
    if (busy) return;
    setBusy({ id: group.id, action: 'dismiss' });
    setErrors(({ [group.id]: _gone, ...rest }) => rest);
    try {
      const { dismissed } = await dismissDuplicateGroup(group.id);
      setNotice({
        text:
          group.kind === 'burst'
            ? `Unstacked ${plural(dismissed, 'frame', 'frames')}.`
            : `Not duplicates: the ${plural(dismissed, 'photo stays', 'photos stay')} as they are and will not be grouped again.`,
      });
      settle(group);
    } catch (error) {
      fail(group, error);
    } finally {
      setBusy(null);
    }
  };

  const undo = async () => {
    const ids = notice?.undo;
    if (!ids?.length) return;
    setNotice({ text: 'Restoring…' });
    try {
      const { restored } = await restoreFromTrash(ids);
      reviewPhoto.current = ids[0]!;
      setNotice({ text: `Restored ${plural(restored, 'photo', 'photos')} from the trash; the group is back for review.` });
      setReviewed((n) => Math.max(0, n - 1));
      await data.reload();
    } catch (error) {
      setNotice({ text: `Could not restore: ${errorText(error)}`, undo: ids });
    }
  };

  // The keyboard. One listener; it reads the latest state through a ref.
  const onKey = useRef<(event: KeyboardEvent) => void>(() => {});
  onKey.current = (event) => {
    if (notForUs(event)) return;
    // The dialog element, not `help`, says whether the shortcuts are showing: Escape closes it at once, and the
    // close event that sets `help` back comes a task later — a key pressed between the two belongs to the page.
    const dialogOpen = document.querySelector('dialog[open]') !== null;
    if (event.key === '?') {
      event.preventDefault();
      setHelp(!dialogOpen);
      return;
    }
    if (dialogOpen) return;
    const group = active;
    const members = group?.members ?? [];
    const soleIndex = group ? members.findIndex((m) => m.photo.id === keepOf(group)[0]) : -1;
    const digit = digitOf(event);
    let handled = true;
    if (event.key === 'j' || event.key === 'ArrowDown') review(activeIndex + 1);
    else if (event.key === 'k' || event.key === 'ArrowUp') review(activeIndex - 1);
    else if (group && group.kind === 'duplicate' && (event.key === 'ArrowLeft' || event.key === 'ArrowRight')) {
      const step = event.key === 'ArrowRight' ? 1 : -1;
      choose(group, members[(soleIndex + step + members.length) % members.length]!.photo.id);
    } else if (group && group.kind === 'duplicate' && digit !== null && digit <= members.length) {
      const photoId = members[digit - 1]!.photo.id;
      if (event.shiftKey) toggle(group, photoId);
      else choose(group, photoId);
    } else if (group && event.key === 'Enter') {
      // Enter on a button or a link is that control's own
      if ((event.target as HTMLElement).closest('button, a, summary')) return;
      void resolve(group);
    } else if (group && (event.key === 'd' || event.key === 'D')) void dismiss(group);
    else if (event.key === 'u' && notice?.undo) void undo();
    else handled = false;
    if (handled) event.preventDefault();
  };
  useEffect(() => {
    const listener = (event: KeyboardEvent) => onKey.current(event);
    window.addEventListener('keydown', listener);
    return () => window.removeEventListener('keydown', listener);
  }, []);

  const left = data.total;
  const done = reviewed;
  const percent = done + left > 0 ? Math.round((done / (done + left)) * 100) : 100;

  return (
    <main className="dup-page" data-testid="duplicates-page">
      <div className="dup-top">
        <div className="dup-title-row">
          <h1>Duplicates</h1>
          <button type="button" className="button button-ghost dup-help-button" onClick={() => setHelp(true)} aria-keyshortcuts="Shift+?">
            <kbd aria-hidden="true">?</kbd> Keyboard shortcuts
          </button>
        </div>
        <div className="dup-toolbar">
          <div className="dup-filter" role="group" aria-label="Show">
            {FILTERS.map((f) => (
              <Link
                key={f.value}
                to={f.value === 'duplicate' ? '/duplicates' : `/duplicates?kind=${f.value}`}
                replace
                className="dup-filter-option"
                aria-current={filter === f.value ? 'true' : undefined}
                data-filter={f.value}
              >
                {f.label}
              </Link>
            ))}
          </div>
          {data.status === 'ready' && (left > 0 || done > 0) ? (
            <div className="dup-progress">
              <p className="dup-left" data-testid="groups-left" data-value={left} aria-live="polite">
                {left === 0 ? 'All reviewed' : `${plural(left, 'group', 'groups')} left`}
                {done > 0 ? <span className="muted"> · {formatCount(done)} reviewed</span> : null}
              </p>
              <div className="dup-progress-bar" aria-hidden="true">
                <span style={{ width: `${percent}%` }} />
              </div>
            </div>
          ) : null}
        </div>
      </div>

      {data.status === 'loading' ? (
        <p className="muted dup-loading" role="status">
          <span className="spinner spinner-inline" aria-hidden="true" /> Looking for groups to review…
        </p>
      ) : null}
      {data.status === 'error' ? (
        <ErrorPanel title="Cannot load the duplicate groups" message={data.error ?? 'unknown error'} onRetry={() => void data.reload()} />
      ) : null}
      {data.status === 'ready' && groups.length === 0 ? (
        <EmptyState filter={filter} reviewed={done} libraryEmpty={(library.stats?.total ?? library.total) === 0 && library.status === 'ready'} />
      ) : null}

      {groups.length > 0 ? (
        <div className="dup-groups">
          {groups.map((group, index) => (
            <GroupCard
              key={group.id}
              ref={(node) => {
                if (node) elements.current.set(group.id, node);
                else elements.current.delete(group.id);
              }}
              group={group}
              index={index}
              total={Math.max(left, groups.length)}
              active={group.id === active?.id}
              keep={new Set(keepOf(group))}
              busy={busy?.id === group.id ? busy.action : null}
              error={errors[group.id] ?? null}
              onActivate={() => {
                if (activeId !== group.id) setActiveId(group.id);
              }}
              onChoose={(photoId) => choose(group, photoId)}
              onToggle={(photoId) => toggle(group, photoId)}
              onResolve={() => void resolve(group)}
              onDismiss={() => void dismiss(group)}
            />
          ))}
          {data.loadingMore ? (
            <p className="muted" role="status">
              <span className="spinner spinner-inline" aria-hidden="true" /> Loading more groups…
            </p>
          ) : groups.length < left ? (
            <button type="button" className="button dup-more" onClick={() => void data.loadMore()}>
              Show more groups
            </button>
          ) : null}
          {data.error && data.status === 'ready' ? (
            <p className="dup-error" role="alert">
              {data.error}
            </p>
          ) : null}
        </div>
      ) : null}

      {notice ? (
        <div className="dup-notice" role="status" data-testid="dup-notice">
          <span>{notice.text}</span>
          {notice.undo ? (
            <button type="button" className="button button-small" onClick={() => void undo()} aria-keyshortcuts="u" data-testid="undo">
              Undo <kbd aria-hidden="true">U</kbd>
            </button>
          ) : null}
          <button type="button" className="button button-ghost button-small" aria-label="Dismiss this message" onClick={() => setNotice(null)}>
            ×
          </button>
        </div>
      ) : null}

      <ShortcutsDialog open={help} onClose={() => setHelp(false)} />
    </main>
  );
}

function EmptyState({ filter, reviewed, libraryEmpty }: { filter: Filter; reviewed: number; libraryEmpty: boolean }) {
  if (reviewed > 0) {
    return (
      <section className="empty dup-empty" data-testid="dup-empty">
        <h2>All reviewed</h2>
        <p>
          You went through {plural(reviewed, 'group', 'groups')}. Copies found in photos you add later will show up here. Photos you moved to the
          trash can be restored from the <Link to="/trash">Trash</Link>.
        </p>
      </section>
    );
  }
  if (libraryEmpty) {
    return (
      <section className="empty dup-empty" data-testid="dup-empty">
        <h2>No photos yet</h2>
        <p>
          Drop photos anywhere on this page or run <code>shoebox import ~/Pictures</code>. Shoebox compares every photo it takes in and
          lists copies and bursts here for you to review.
        </p>
      </section>
    );
  }
  return (
    <section className="empty dup-empty" data-testid="dup-empty">
      <h2>{filter === 'burst' ? 'No bursts' : filter === 'all' ? 'Nothing to review' : 'No duplicates to review'}</h2>
      {filter === 'burst' ? (
        <p>Frames shot seconds apart with one camera are stacked as a burst. None of your photos look like that.</p>
      ) : (
        <p>
          Shoebox compares every photo it takes in. The same file twice is refused at upload; copies that were resized, recompressed, edited
          or mirrored are found by their perceptual hash (and by visual similarity when a CLIP model is installed) and listed here.
        </p>
      )}
    </section>
  );
}
