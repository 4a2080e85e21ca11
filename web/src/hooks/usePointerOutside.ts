import { useEffect, useRef, type RefObject } from 'react';

/** While `active`, a press anywhere outside `root` calls `onOutside` (menus close on a tap elsewhere). */
export function usePointerOutside(active: boolean, root: RefObject<HTMLElement | null>, onOutside: () => void): void {
  // the latest callback, without listening anew on every render
  const callback = useRef(onOutside);
  callback.current = onOutside;
  useEffect(() => {
    if (!active) return;
    const onPointerDown = (event: PointerEvent) => {
      if (!root.current?.contains(event.target as Node)) callback.current();
    };
    document.addEventListener('pointerdown', onPointerDown);
    return () => document.removeEventListener('pointerdown', onPointerDown);
  }, [active, root]);
}
