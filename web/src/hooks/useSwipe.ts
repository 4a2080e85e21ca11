import { useEffect, useRef } from 'react';

/** Least horizontal travel (px) of a swipe, and how much more horizontal than vertical it must be. */
const MIN_TRAVEL = 60;
const STRAIGHTNESS = 1.5;
/** A slower drag is a look around, not a swipe. */
const MAX_MS = 800;

/**
 * One finger swiped across `selector` (the photo's stage): left or right. Not while the picture is zoomed in
 * (the finger pans it then), not with two fingers (a pinch), not from a form field or a dialog.
 */
export function useSwipe(selector: string, onSwipe: (direction: 'left' | 'right') => void): void {
  const handler = useRef(onSwipe);
  handler.current = onSwipe;
  useEffect(() => {
    let start: { x: number; y: number; at: number } | null = null;
    const onStart = (event: TouchEvent) => {
      const target = event.target instanceof Element ? event.target : null;
      const ok =
        event.touches.length === 1 &&
        target?.closest(selector) &&
        !target.closest('input, textarea, select, button, dialog, .zoom-zoomed, .face-editor') &&
        !document.querySelector('dialog[open]');
      const touch = event.touches[0];
      start = ok && touch ? { x: touch.clientX, y: touch.clientY, at: performance.now() } : null;
    };
    const onMove = (event: TouchEvent) => {
      if (event.touches.length > 1) start = null; // a second finger: a pinch
    };
    const onEnd = (event: TouchEvent) => {
      const touch = event.changedTouches[0];
      if (!start || !touch) return;
      const dx = touch.clientX - start.x;
      const dy = touch.clientY - start.y;
      const quick = performance.now() - start.at <= MAX_MS;
      start = null;
      if (quick && Math.abs(dx) >= MIN_TRAVEL && Math.abs(dx) >= STRAIGHTNESS * Math.abs(dy)) handler.current(dx < 0 ? 'left' : 'right');
    };
    const cancel = () => {
      start = null;
    };
    window.addEventListener('touchstart', onStart, { passive: true });
    window.addEventListener('touchmove', onMove, { passive: true });
    window.addEventListener('touchend', onEnd, { passive: true });
    window.addEventListener('touchcancel', cancel, { passive: true });
    return () => {
      window.removeEventListener('touchstart', onStart);
      window.removeEventListener('touchmove', onMove);
      window.removeEventListener('touchend', onEnd);
      window.removeEventListener('touchcancel', cancel);
    };
  }, [selector]);
}
