// Page-wide single-key shortcuts that stay out of the way: not while typing in a field, not for keys a focused
// control uses itself (arrows on a radio group or a slider), not with a modifier (browser and system shortcuts),
// not while a modal dialog is open.
import { useEffect, useRef } from 'react';

const TEXT_INPUTS = new Set(['text', 'search', 'email', 'url', 'tel', 'password', 'number', 'date', 'datetime-local', 'month', 'week', 'time']);

/** Whether the focused element needs this key for itself. */
export function keyBelongsTo(target: EventTarget | null, key: string): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable || target.tagName === 'TEXTAREA' || target.tagName === 'SELECT') return true;
  if (target instanceof HTMLInputElement) return TEXT_INPUTS.has(target.type) || key.startsWith('Arrow') || key === ' ';
  return false;
}

/**
 * Calls `handler` with the key of each plain key press; when it answers true the key was used and its default
 * action (scrolling, typing into nothing) is prevented.
 */
export function useShortcuts(handler: (key: string, event: KeyboardEvent) => boolean): void {
  const latest = useRef(handler);
  latest.current = handler;
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey || keyBelongsTo(event.target, event.key)) return;
      if (document.querySelector('dialog[open]')) return;
      if (latest.current(event.key, event)) event.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}
