// The library's timeline (or an album's, a person's): photos newest taken first under month headers and day
// labels, virtualised. The timeline's bucket counts give the whole layout before any photo is loaded; only the
// rows on screen (and a little around) are in the DOM, and their photos are fetched by offset as they come near.
import { useCallback, useEffect, useMemo, useRef, useState, type CSSProperties, type ReactNode } from 'react';
import type { LibraryFilter, TilePhoto } from '../../client/library.js';
import { useGridSize } from '../../hooks/useGridSize.js';
import { registerPlaceFinder } from '../../lib/returnPlace.js';
import { library, useSequence } from '../../store/library.js';
import { filterKey } from '../../store/photoSequence.js';
import { selection, useSelection } from '../../store/selection.js';
import { ErrorPanel } from '../ErrorPanel.js';
import { computeLayout } from './layout.js';
import { Scrubber } from './Scrubber.js';
import { SelectionBar, type ExtraAction } from './SelectionBar.js';
import { TimelineRow, type RowContext } from './TimelineRows.js';
import { useDragSelect } from './useDragSelect.js';
import { useVisibleRows } from './useVisibleRows.js';
import '../../styles/gallery.css';

export interface TimelineProps {
  /** Which photos (an album, a person, favourites); the whole library without. */
  filter?: LibraryFilter;
  /** What to say when there are no photos. */
  empty?: ReactNode;
  /** The accessible name of the list of photos. */
  label?: string;
  /** Photos can be selected for bulk actions (default: yes). */
  selectable?: boolean;
  /** More bulk actions for the selection bar (an album's "Remove from album"). */
  actions?: ExtraAction[];
  /** A date scrubber along the right edge for long timelines (default: yes). */
  scrubber?: boolean;
}

export function Timeline({ filter, empty, label = 'Photos, newest first', selectable = true, actions, scrubber = true }: TimelineProps) {
  const key = filterKey(filter);
  // The same ordering object for the same filter, whatever object the caller passes.
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const sequence = useMemo(() => library.sequence(filter ?? {}), [key]);
  const state = useSequence(sequence);
  const sel = useSelection();
  const [gridRef, size] = useGridSize();
  const container = useRef<HTMLDivElement | null>(null);
  // also as state: the drag selection's listeners go on the grid once it is there
  const [grid, setGrid] = useState<HTMLDivElement | null>(null);
  const setContainer = useCallback(
    (node: HTMLDivElement | null) => {
      container.current = node;
      gridRef(node);
      setGrid(node);
    },
    [gridRef],
  );
  const { timeline } = state;
  const layout = useMemo(() => (timeline && size ? computeLayout(timeline.buckets, size) : null), [timeline, size]);
  const range = useVisibleRows(layout, sequence, container);

  useEffect(() => {
    void sequence.ensureLoaded();
  }, [sequence]);

  // Where a photo's row is, for the return from a photo page to a tile not drawn yet (returnPlace.ts).
  useEffect(() => {
    if (!layout) return;
    return registerPlaceFinder((photoId) => {
      const offset = sequence.indexOf(photoId);
      const node = container.current;
      if (offset === undefined || !node) return null;
      const row = layout.rows.find((r) => r.kind === 'tiles' && r.segments.some((seg) => offset >= seg.start && offset < seg.start + seg.count));
      return row ? { top: node.getBoundingClientRect().top + window.scrollY + row.top, height: row.height } : null;
    });
  }, [layout, sequence]);

  // A selection belongs to the page it was made on.
  useEffect(() => () => selection.clear(), [sequence]);

  // Escape clears the selection (a dialog's own Escape comes first).
  const selecting = sel.scope === sequence.key && sel.ids.size > 0;
  useEffect(() => {
    if (!selecting) return;
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== 'Escape' || event.defaultPrevented || document.querySelector('dialog[open]')) return;
      event.preventDefault();
      selection.clear();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [selecting]);

  const beginDrag = useDragSelect(grid, sequence);
  const onSelect = useCallback(
    (photo: TilePhoto, range: boolean, pressed?: boolean) => {
      const offset = sequence.indexOf(photo.id) ?? null;
      const current = selection.getSnapshot();
      if (pressed && offset !== null) {
        // A long press: the finger may go on to drag a range from here.
        const before = new Set(current.scope === sequence.key ? current.ids : []);
        selection.toggle(sequence.key, photo.id, offset);
        beginDrag(offset, !before.has(photo.id), before);
        return;
      }
      if (range && current.scope === sequence.key && current.anchor !== null && offset !== null) {
        // Shift-click: everything between the last photo clicked and this one (fetched if not loaded).
        const from = Math.min(current.anchor, offset);
        const to = Math.max(current.anchor, offset);
        selection.setPending(true);
        void sequence.range(from, to + 1).then(
          (photos) =>
            selection.setMany(
              sequence.key,
              photos.map((p) => p.id),
              true,
              offset,
            ),
          () => selection.setPending(false),
        );
        return;
      }
      selection.toggle(sequence.key, photo.id, offset);
    },
    [sequence, beginDrag],
  );

  const onSelectGroup = useCallback(
    (start: number, count: number, select: boolean) => {
      selection.setPending(true);
      void sequence.range(start, start + count).then(
        (photos) =>
          selection.setMany(
            sequence.key,
            photos.map((p) => p.id),
            select,
            start,
          ),
        () => selection.setPending(false),
      );
    },
    [sequence],
  );

  const onOpen = useCallback(() => library.setActive(sequence), [sequence]);

  const context: RowContext = useMemo(
    () => ({ sequence, version: state.version, selection: sel, selectable, onSelect, onSelectGroup, onOpen }),
    [sequence, state.version, sel, selectable, onSelect, onSelectGroup, onOpen],
  );

  if (state.status === 'error' && !timeline) {
    return <ErrorPanel title="The photos could not be loaded" message={state.error ?? 'unknown error'} onRetry={() => void sequence.refresh()} />;
  }
  if (timeline && timeline.total === 0) {
    return <div className="timeline-empty">{empty ?? <p className="muted">No photos here yet.</p>}</div>;
  }

  const style = size ? ({ '--tile': `${size.tile}px`, '--gap': `${size.gap}px`, '--cols': size.columns } as CSSProperties) : undefined;
  return (
    <div className={`timeline-wrap${selecting ? ' timeline-selecting' : ''}`}>
      {state.error ? (
        <p className="banner banner-error" role="alert">
          {state.error} — showing what was loaded; trying again.
        </p>
      ) : null}
      {selectable ? <SelectionBar sequence={sequence} actions={actions} /> : null}
      <div
        ref={setContainer}
        className="timeline-v"
        style={{ ...style, height: layout ? layout.height : undefined }}
        aria-label={label}
        aria-busy={!layout || undefined}
        role="region"
        data-testid="timeline"
        data-total={timeline?.total}
      >
        {layout && range ? (
          layout.rows.slice(range[0], range[1] + 1).map((row) => <TimelineRow key={row.key} row={row} context={context} />)
        ) : !layout ? (
          <TimelineSkeleton />
        ) : null}
      </div>
      {scrubber && layout ? <Scrubber layout={layout} container={container} /> : null}
    </div>
  );
}

function TimelineSkeleton() {
  return (
    <div className="timeline-skeleton" aria-hidden="true">
      <span className="skeleton-line timeline-skeleton-title" />
      <div className="photo-grid">
        {Array.from({ length: 18 }, (_, i) => (
          <span key={i} className="tile-cell tile-skeleton" />
        ))}
      </div>
    </div>
  );
}
