// Pull to refresh: a finger pulling the page down from its top shows a round mark that follows it; let go past
// the threshold, the page loads again with a spinner until it is done. An installed app (standalone) has no
// browser's own pull to refresh, which is why it is needed; in a browser tab Chromium's own would reload the
// whole app, so the page's overscroll is contained while this one is on. Touch only: a mouse never pulls.
import { useEffect, useRef, useState } from 'react';
import { pullDistance } from '../lib/gestures.js';

/** How far (px) the mark must come down for a release to refresh, and the furthest it follows the finger. */
const THRESHOLD = 64;
const MAX_PULL = 96;

export function PullToRefresh({ onRefresh }: { onRefresh: () => Promise<unknown> }) {
  const [pull, setPull] = useState(0);
  const [refreshing, setRefreshing] = useState(false);
  const handler = useRef(onRefresh);
  handler.current = onRefresh;

  useEffect(() => {
    const root = document.documentElement;
    root.classList.add('pull-refresh-on');
    let start: number | null = null;
    let distance = 0;
    let busy = false;
    const stop = () => {
      start = null;
      distance = 0;
      setPull(0);
    };
    const onStart = (event: TouchEvent) => {
      const target = event.target instanceof Element ? event.target : null;
      const ok =
        !busy &&
        event.touches.length === 1 &&
        window.scrollY <= 0 &&
        !target?.closest('input, textarea, select, dialog') &&
        !document.querySelector('dialog[open]');
      start = ok ? (event.touches[0]?.clientY ?? null) : null;
      distance = 0;
    };
    const onMove = (event: TouchEvent) => {
      if (start === null) return;
      const touch = event.touches[0];
      // a second finger (a pinch), a drag selecting photos (which holds the page still) or a scroll: no pull
      if (!touch || event.touches.length > 1 || event.defaultPrevented || window.scrollY > 0) return stop();
      const travel = touch.clientY - start;
      if (travel <= 0 && distance === 0) {
        start = null; // upwards first: the page is being scrolled
        return;
      }
      distance = pullDistance(travel, MAX_PULL);
      setPull(distance);
    };
    const onEnd = () => {
      if (start === null) return;
      const pulled = distance >= THRESHOLD;
      stop();
      if (!pulled) return;
      busy = true;
      setRefreshing(true);
      // a failure shows where the page shows its loading errors; the mark only says it is under way
      void handler
        .current()
        .catch(() => undefined)
        .finally(() => {
          busy = false;
          setRefreshing(false);
        });
    };
    window.addEventListener('touchstart', onStart, { passive: true });
    window.addEventListener('touchmove', onMove, { passive: true });
    window.addEventListener('touchend', onEnd, { passive: true });
    window.addEventListener('touchcancel', stop, { passive: true });
    return () => {
      root.classList.remove('pull-refresh-on');
      window.removeEventListener('touchstart', onStart);
      window.removeEventListener('touchmove', onMove);
      window.removeEventListener('touchend', onEnd);
      window.removeEventListener('touchcancel', stop);
    };
  }, []);

  const ready = pull >= THRESHOLD;
  const shown = refreshing || pull > 0;
  return (
    <div
      className={`pull-refresh${shown ? ' is-shown' : ''}`}
      style={shown ? { transform: `translateY(${refreshing ? THRESHOLD : pull}px)` } : undefined}
      data-testid="pull-refresh"
      data-state={refreshing ? 'refreshing' : ready ? 'ready' : pull > 0 ? 'pulling' : 'idle'}
      role="status"
    >
      {refreshing ? (
        <>
          <span className="spinner" aria-hidden="true" />
          <span className="visually-hidden">Refreshing</span>
        </>
      ) : shown ? (
        <svg viewBox="0 0 24 24" className={`icon pull-refresh-arrow${ready ? ' is-ready' : ''}`} aria-hidden="true" focusable="false">
          <path d="M12 5v13M6.5 12.5 12 18l5.5-5.5" />
        </svg>
      ) : null}
    </div>
  );
}
