import { useLayoutEffect, useState, type RefObject } from 'react';
import type { PhotoSequence } from '../../store/photoSequence.js';
import { offsetsOf, rowsBetween, type Layout } from './layout.js';

/** Rows kept in the DOM above and below the screen, in pixels. */
const OVERSCAN = 600;
/** Photos are fetched this far beyond the screen, in screens. */
const PREFETCH_SCREENS = 1.5;

/**
 * The first and last rows of the layout to draw (those on screen and a margin around), following the scroll; asks
 * the sequence for the photos of the rows coming near.
 */
export function useVisibleRows(layout: Layout | null, sequence: PhotoSequence, container: RefObject<HTMLDivElement | null>): [number, number] | null {
  const [range, setRange] = useState<[number, number] | null>(null);
  // Which rows are on screen: looked at on every scroll frame; React renders only when that changes. Where the
  // timeline starts on the page is measured when something may have moved it (a resize, content above it), not
  // on every frame: a layout read there would force the browser to lay out the rows just added at once.
  useLayoutEffect(() => {
    if (!layout) return;
    let origin = 0;
    const measure = () => {
      const node = container.current;
      if (node) origin = node.getBoundingClientRect().top + window.scrollY;
    };
    const update = () => {
      const viewTop = window.scrollY - origin;
      const screen = window.innerHeight;
      const near = rowsBetween(layout.rows, viewTop - screen * PREFETCH_SCREENS, viewTop + screen * (1 + PREFETCH_SCREENS));
      if (near) sequence.want(...offsetsOf(layout.rows, near[0], near[1]));
      const shown = rowsBetween(layout.rows, viewTop - OVERSCAN, viewTop + screen + OVERSCAN);
      setRange((prev) => (prev && shown && prev[0] === shown[0] && prev[1] === shown[1] ? prev : shown));
    };
    measure();
    update();
    let frame = 0;
    const onScroll = () => {
      if (!frame)
        frame = requestAnimationFrame(() => {
          frame = 0;
          update();
        });
    };
    const onResize = () => {
      measure();
      onScroll();
    };
    const moved = new ResizeObserver(onResize);
    moved.observe(document.body);
    window.addEventListener('scroll', onScroll, { passive: true });
    window.addEventListener('resize', onResize);
    return () => {
      cancelAnimationFrame(frame);
      moved.disconnect();
      window.removeEventListener('scroll', onScroll);
      window.removeEventListener('resize', onResize);
    };
  }, [layout, sequence, container]);
  return range;
}
