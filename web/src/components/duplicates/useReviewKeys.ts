// The duplicates page at the keyboard: j/k (↓/↑) move between groups, ←/→ or 1–9 choose the photo to keep
// (Shift+digit keeps it too), Enter resolves, d dismisses, u undoes, ? shows the shortcuts. One listener on the
// window; it reads the latest state through a ref.
import { useEffect, useRef } from 'react';
import type { GroupActions } from './useGroupActions.js';
import type { ReviewCursor } from './useReviewCursor.js';

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

export function useReviewKeys(cursor: ReviewCursor, actions: GroupActions, setHelp: (open: boolean) => void): void {
  const { active, activeIndex, review } = cursor;
  const { keepOf, choose, toggle, proposesNothing, resolve, dismiss, undo, notice, setNotice } = actions;
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
      // nothing proposed: Enter would only mark them as different photos — the user chooses instead
      if (proposesNothing(group))
        setNotice({ text: 'Nothing is proposed for the trash here: choose the photo to keep (← → or 1–9), or press d if they are not copies.' });
      else void resolve(group);
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
}
