// A finger that long-pressed a tile (selecting it) and moves on selects every photo from that tile to the one
// under it, as phone galleries do: going back shrinks the range again, lifting ends it. The page holds still
// under the finger, and near the top or bottom of the grid it scrolls by itself so that a range can run past the
// screen. Ranges go through the ordering's `range`, so photos not loaded yet are fetched as a shift-click's are.
import { useCallback, useEffect, useRef } from 'react';
import { dragSelection, edgeScrollStep } from '../../lib/gestures.js';
import type { PhotoSequence } from '../../store/photoSequence.js';
import { selection } from '../../store/selection.js';

interface Drag {
  /** The offset of the long-pressed tile. */
  anchor: number;
  /** Selecting (the pressed tile became selected) or unselecting. */
  select: boolean;
  /** The selection before the press. */
  before: ReadonlySet<string>;
  /** The offset last covered to. */
  last: number;
  x: number;
  y: number;
  frame: number;
  request: AbortController | null;
}

/**
 * The offset of the tile under a finger, or null between tiles. A finger past the grid's visible part (on a bar,
 * scrolling it) counts at the edge of that part, as the tile there is the one coming into view.
 */
function offsetAt(node: HTMLElement, sequence: PhotoSequence, x: number, y: number): number | null {
  const [top, bottom] = visibleBand();
  const cell = document.elementFromPoint(x, Math.min(Math.max(y, top + 1), bottom - 1))?.closest<HTMLElement>('.tile-cell');
  if (!cell || !node.contains(cell)) return null;
  if (cell.dataset.offset !== undefined) return Number(cell.dataset.offset);
  return sequence.indexOf(cell.querySelector<HTMLElement>('[data-photo-id]')?.dataset.photoId ?? '') ?? null;
}

/** Where the grid's visible part begins and ends: under the selection bar, above a phone's bottom bar. */
function visibleBand(): [number, number] {
  const bar = document.querySelector('.selection-bar')?.getBoundingClientRect();
  const nav = document.querySelector('.app-nav')?.getBoundingClientRect();
  const top = bar && bar.top <= 0 ? bar.bottom : 0;
  const bottom = nav && nav.top > window.innerHeight / 2 ? nav.top : window.innerHeight;
  return [top, bottom];
}

/**
 * Drag selection over the timeline's grid `node`. `begin` is called when a long press has selected (or
 * unselected) a tile; the finger's moves from then on belong to the selection.
 */
export function useDragSelect(node: HTMLElement | null, sequence: PhotoSequence) {
  const drag = useRef<Drag | null>(null);
  /** The element the finger now on the screen first touched. */
  const touched = useRef<EventTarget | null>(null);
  /** Puts the drag's listeners on an element, answering how to take them off again. */
  const follow = useRef<((target: EventTarget) => () => void) | null>(null);
  const unfollow = useRef<(() => void) | null>(null);

  const cover = useCallback(
    (d: Drag, offset: number) => {
      if (offset === d.last) return;
      d.last = offset;
      d.request?.abort();
      const request = new AbortController();
      d.request = request;
      selection.setPending(true);
      sequence.range(Math.min(d.anchor, offset), Math.max(d.anchor, offset) + 1, request.signal).then(
        (photos) => {
          if (!request.signal.aborted)
            selection.replace(
              sequence.key,
              dragSelection(
                d.before,
                photos.map((p) => p.id),
                d.select,
              ),
              d.anchor,
            );
        },
        () => {
          if (!request.signal.aborted) selection.setPending(false);
        },
      );
    },
    [sequence],
  );

  const end = useCallback(() => {
    unfollow.current?.();
    unfollow.current = null;
    const d = drag.current;
    if (!d) return;
    cancelAnimationFrame(d.frame);
    drag.current = null;
  }, []);

  useEffect(() => {
    if (!node) return;
    // Scrolls while the finger rests in an edge's zone; stops when it leaves it, the page ends, or the drag does.
    const edgeScroll = (d: Drag) => {
      if (d.frame) return;
      const step = () => {
        d.frame = 0;
        if (drag.current !== d) return;
        const [top, bottom] = visibleBand();
        const dy = edgeScrollStep(d.y, top, bottom);
        if (dy === 0) return;
        const was = window.scrollY;
        window.scrollBy(0, dy);
        if (window.scrollY === was) return;
        const offset = offsetAt(node, sequence, d.x, d.y);
        if (offset !== null) cover(d, offset);
        d.frame = requestAnimationFrame(step);
      };
      d.frame = requestAnimationFrame(step);
    };
    // Not passive, so that the page can be held still; it is only on while a long press has begun a drag, so an
    // ordinary swipe scrolls as ever.
    const onMove = (event: Event) => {
      const d = drag.current;
      if (!d) return;
      const touch = (event as TouchEvent).touches[0];
      if (!touch || (event as TouchEvent).touches.length > 1) return end();
      if (event.cancelable) event.preventDefault();
      d.x = touch.clientX;
      d.y = touch.clientY;
      const offset = offsetAt(node, sequence, d.x, d.y);
      if (offset !== null) cover(d, offset);
      edgeScroll(d);
    };
    // A touch's events go to the element it first touched, even after the timeline has taken that tile's row out
    // of the page (rows far off screen are not kept), when they no longer reach the grid: the drag listens there.
    follow.current = (target) => {
      target.addEventListener('touchmove', onMove, { passive: false });
      target.addEventListener('touchend', end);
      target.addEventListener('touchcancel', end);
      return () => {
        target.removeEventListener('touchmove', onMove);
        target.removeEventListener('touchend', end);
        target.removeEventListener('touchcancel', end);
      };
    };
    const onStart = (event: TouchEvent) => {
      if (drag.current) end(); // a drag whose lift never came
      touched.current = event.target;
    };
    node.addEventListener('touchstart', onStart, { passive: true, capture: true });
    return () => {
      node.removeEventListener('touchstart', onStart, { capture: true });
      follow.current = null;
      end();
    };
  }, [node, sequence, cover, end]);

  /** A long press on the tile at `anchor` selected it (`select`) or unselected it; `before` was the selection. */
  const begin = useCallback(
    (anchor: number, select: boolean, before: ReadonlySet<string>) => {
      end();
      drag.current = { anchor, select, before, last: anchor, x: 0, y: 0, frame: 0, request: null };
      if (touched.current && follow.current) unfollow.current = follow.current(touched.current);
    },
    [end],
  );

  return begin;
}
