import { useRef, type PointerEvent } from 'react';

/** How long a finger rests on a tile before it counts as a long press (the platforms' own is about this). */
const PRESS_MS = 450;
/** A finger moving further than this is scrolling, not pressing. */
const SLOP_PX = 10;

/**
 * Long press with a finger (phones select photos this way, having no hover for the check circle). Spread the
 * handlers on the element; `consumeClick()` says whether the click that follows the press must be swallowed.
 * `onRelease` is told when the finger of a long press lifts (what plays while it is held stops).
 */
export function useLongPress(onLongPress: (() => void) | null, onRelease?: () => void) {
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const start = useRef<{ x: number; y: number } | null>(null);
  const fired = useRef(false);
  const cancel = () => {
    if (timer.current) clearTimeout(timer.current);
    timer.current = null;
    start.current = null;
  };
  const fire = () => {
    if (timer.current) clearTimeout(timer.current);
    timer.current = null;
    fired.current = true;
    onLongPress?.();
  };
  return {
    onPointerDown(event: PointerEvent) {
      if (!onLongPress || event.pointerType !== 'touch') return;
      fired.current = false;
      start.current = { x: event.clientX, y: event.clientY };
      timer.current = setTimeout(fire, PRESS_MS);
    },
    onPointerMove(event: PointerEvent) {
      const from = start.current;
      if (from && Math.hypot(event.clientX - from.x, event.clientY - from.y) > SLOP_PX) cancel();
    },
    onPointerUp() {
      cancel();
      if (fired.current) onRelease?.();
    },
    onPointerCancel() {
      cancel();
      if (fired.current) onRelease?.();
    },
    onContextMenu(event: { preventDefault(): void }) {
      // The browser's long-press menu would cover the selection that was just made. Its menu coming while our timer
      // still waits (a busy page runs timers late) is the platform saying "long press": it is one.
      if (timer.current) fire();
      if (fired.current) event.preventDefault();
    },
    consumeClick(): boolean {
      const was = fired.current;
      fired.current = false;
      return was;
    },
  };
}
