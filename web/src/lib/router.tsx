// A tiny History API router: enough for a handful of routes, with scroll positions restored on Back/Forward.
import { useSyncExternalStore, type AnchorHTMLAttributes, type MouseEvent } from 'react';

export interface Location {
  pathname: string;
  search: string;
  /** Identifies the history entry (for scroll restoration). */
  key: string;
  /** The in-app page this entry was reached from (pathname + search), or null (typed in, bookmarked, reloaded). */
  from: string | null;
  /** How we got here: a link or navigate() ('push'/'replace'), or Back/Forward ('pop'). */
  action: 'push' | 'replace' | 'pop' | 'load';
}

const listeners = new Set<() => void>();
const scrollPositions = new Map<string, number>();
let keyCounter = 0;
const newKey = () => `${Date.now().toString(36)}-${(keyCounter++).toString(36)}`;

function entryKey(): string {
  const state: unknown = window.history.state;
  if (state && typeof state === 'object' && 'key' in state && typeof state.key === 'string') return state.key;
  const key = newKey();
  window.history.replaceState({ ...(state && typeof state === 'object' ? state : {}), key }, '');
  return key;
}

function read(action: Location['action']): Location {
  const state: unknown = window.history.state;
  const from = state && typeof state === 'object' && 'from' in state && typeof state.from === 'string' ? state.from : null;
  return { pathname: window.location.pathname, search: window.location.search, key: entryKey(), from, action };
}

let current: Location = read('load');

function notify(action: Location['action']): void {
  current = read(action);
  for (const listener of listeners) listener();
}

if ('scrollRestoration' in window.history) window.history.scrollRestoration = 'manual';

window.addEventListener('popstate', () => notify('pop'));

let scrollFrame = 0;
window.addEventListener(
  'scroll',
  () => {
    if (scrollFrame) return;
    const key = current.key;
    scrollFrame = requestAnimationFrame(() => {
      scrollFrame = 0;
      if (key === current.key) scrollPositions.set(key, window.scrollY);
    });
  },
  { passive: true },
);

/** The scroll position last seen on a history entry (0 when unknown). */
export function savedScroll(key: string): number {
  return scrollPositions.get(key) ?? 0;
}

export function navigate(to: string, options: { replace?: boolean } = {}): void {
  const url = new URL(to, window.location.href);
  if (url.origin !== window.location.origin) {
    window.location.assign(url.href);
    return;
  }
  scrollPositions.set(current.key, window.scrollY);
  const target = url.pathname + url.search + url.hash;
  // A replaced entry keeps the page it came from: stepping through photos, Back still leads to the gallery.
  if (options.replace) window.history.replaceState({ key: newKey(), from: current.from }, '', target);
  else window.history.pushState({ key: newKey(), from: current.pathname + current.search }, '', target);
  notify(options.replace ? 'replace' : 'push');
}

/**
 * Goes back to `path` the way the Back button would when that is where this page was reached from (so the
 * gallery comes back at the same scroll position), else navigates there.
 */
export function returnTo(path: string, options: { replace?: boolean } = {}): void {
  if (current.from === path) window.history.back();
  else navigate(path, options);
}

export function useLocation(): Location {
  return useSyncExternalStore(
    (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    () => current,
  );
}

/** Matches "/photos/:id" against a pathname; the parameters are URI-decoded. */
export function matchPath(pattern: string, pathname: string): Record<string, string> | null {
  const want = pattern.split('/').filter(Boolean);
  const have = pathname.split('/').filter(Boolean);
  if (want.length !== have.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i++) {
    const w = want[i]!;
    const h = have[i]!;
    if (w.startsWith(':')) {
      try {
        params[w.slice(1)] = decodeURIComponent(h);
      } catch {
        return null;
      }
    } else if (w !== h) return null;
  }
  return params;
}

type LinkProps = Omit<AnchorHTMLAttributes<HTMLAnchorElement>, 'href'> & { to: string; replace?: boolean };

/** An ordinary link (middle-click, Ctrl-click and "copy link" work) that navigates in-app on a plain click. */
export function Link({ to, replace, onClick, target, ...rest }: LinkProps) {
  const handleClick = (event: MouseEvent<HTMLAnchorElement>) => {
    onClick?.(event);
    if (event.defaultPrevented || event.button !== 0 || (target && target !== '_self')) return;
    if (event.metaKey || event.altKey || event.ctrlKey || event.shiftKey) return;
    event.preventDefault();
    navigate(to, { replace });
  };
  return <a {...rest} href={to} target={target} onClick={handleClick} />;
}
