import { useEffect, useLayoutEffect, useRef, type RefObject } from 'react';

/**
 * A native <dialog> shown as a modal while `open` is true (focus kept inside, the backdrop, Escape's `cancel`
 * event) and closed when it turns false or the dialog goes (a dialog shown only while wanted): closing returns the
 * focus where it was. Returns the ref for the element.
 */
export function useModalDialog(open: boolean): RefObject<HTMLDialogElement | null> {
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const node = dialog.current;
    if (!node) return;
    if (open && !node.open) node.showModal();
    if (!open && node.open) node.close();
  }, [open]);
  // Closed before React takes the element out of the page (a layout effect's cleanup runs first): closing a
  // detached dialog gives the focus back to nothing.
  useLayoutEffect(() => {
    const node = dialog.current;
    return () => node?.close();
  }, []);
  return dialog;
}
