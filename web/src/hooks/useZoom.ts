// Zoom and pan of a picture inside a fixed frame: wheel and pinch zoom about the pointer, drag pans, double-click
// toggles, and the controls and keys call zoomBy/reset. Scale 1 is "fit" (the picture fills the frame); the view
// is kept clamped so that the picture always covers the frame.
import { useCallback, useEffect, useRef, useState, type RefObject } from 'react';

/** Elements in the frame that keep the pointer's presses and double clicks (no pan, no zoom): controls, and layers marked so. */
const KEEPS_POINTER = 'button, a, input, [data-keeps-pointer]';

export interface ZoomView {
  /** 1 = fit. */
  scale: number;
  /** Translation of the picture's top-left corner in frame pixels (≤ 0 when zoomed). */
  x: number;
  y: number;
  /** Whether the change should be animated (buttons, keys, double-click) or follow the pointer at once. */
  animate: boolean;
}

export const FIT: ZoomView = { scale: 1, x: 0, y: 0, animate: true };
/** One step of the buttons and keys. */
export const ZOOM_STEP = 1.5;

interface Point {
  x: number;
  y: number;
}

const clampNumber = (value: number, min: number, max: number) => Math.min(max, Math.max(min, value));

/** The view with `scale` limited and the picture moved back over the frame where it left a gap. */
export function clampView(view: ZoomView, size: { width: number; height: number }, maxScale: number): ZoomView {
  const scale = clampNumber(view.scale, 1, maxScale);
  if (scale === 1) return { ...FIT, animate: view.animate };
  return {
    scale,
    x: clampNumber(view.x, size.width - size.width * scale, 0),
    y: clampNumber(view.y, size.height - size.height * scale, 0),
    animate: view.animate,
  };
}

/** Zooms by `factor` keeping the frame point `at` where it is on screen. */
export function zoomAbout(view: ZoomView, factor: number, at: Point, size: { width: number; height: number }, maxScale: number, animate: boolean): ZoomView {
  const scale = clampNumber(view.scale * factor, 1, maxScale);
  const ratio = scale / view.scale;
  return clampView({ scale, x: at.x - (at.x - view.x) * ratio, y: at.y - (at.y - view.y) * ratio, animate }, size, maxScale);
}

export interface Zoom {
  view: ZoomView;
  /** Zooms by a factor about a frame point (default: the centre). */
  zoomBy: (factor: number, at?: Point) => void;
  reset: () => void;
  /** Whether a drag is moving the picture now (for the cursor). */
  dragging: boolean;
}

/**
 * Attaches the pointer, wheel and double-click handling to `frame` (the element that clips the picture) and
 * answers the view to apply as `translate(x, y) scale(scale)` with origin 0 0 on the picture's layer.
 */
export function useZoom(frame: RefObject<HTMLElement | null>, maxScale: number): Zoom {
  const [view, setView] = useState<ZoomView>(FIT);
  const [dragging, setDragging] = useState(false);
  const viewRef = useRef(view);
  viewRef.current = view;
  const maxRef = useRef(maxScale);
  maxRef.current = maxScale;

  const size = useCallback(() => {
    const node = frame.current;
    return node ? { width: node.clientWidth, height: node.clientHeight } : { width: 1, height: 1 };
  }, [frame]);

  const apply = useCallback((next: ZoomView) => {
    viewRef.current = next;
    setView(next);
  }, []);

  const zoomBy = useCallback(
    (factor: number, at?: Point) => {
      const s = size();
      apply(zoomAbout(viewRef.current, factor, at ?? { x: s.width / 2, y: s.height / 2 }, s, maxRef.current, true));
    },
    [apply, size],
  );
  const reset = useCallback(() => apply(FIT), [apply]);

  useScaleWithFrame(frame, viewRef, maxRef, apply);

  useEffect(() => {
    const node = frame.current;
    if (!node) return;
    const local = (event: { clientX: number; clientY: number }): Point => {
      const rect = node.getBoundingClientRect();
      return { x: event.clientX - rect.left, y: event.clientY - rect.top };
    };

    // Wheel (and a trackpad pinch, which Chrome sends as a wheel with ctrlKey): zoom about the pointer.
    const onWheel = (event: WheelEvent) => {
      if (event.deltaY === 0) return;
      const v = viewRef.current;
      const zoomingOut = event.deltaY > 0;
      // At fit, scrolling down is left to the page.
      if (zoomingOut && v.scale === 1) return;
      event.preventDefault();
      const pixels = event.deltaMode === 1 ? event.deltaY * 16 : event.deltaMode === 2 ? event.deltaY * 400 : event.deltaY;
      const factor = Math.exp(-clampNumber(pixels, -240, 240) * (event.ctrlKey ? 0.01 : 0.002));
      apply(zoomAbout(v, factor, local(event), size(), maxRef.current, false));
    };

    // Pointers: one drags (when zoomed), two pinch.
    const pointers = new Map<number, Point>();
    let gesture: { view: ZoomView; centre: Point; distance: number; start: Point } | null = null;
    const begin = () => {
      const points = [...pointers.values()];
      const centre = points.length === 2 ? { x: (points[0]!.x + points[1]!.x) / 2, y: (points[0]!.y + points[1]!.y) / 2 } : points[0]!;
      const distance = points.length === 2 ? Math.hypot(points[0]!.x - points[1]!.x, points[0]!.y - points[1]!.y) : 0;
      gesture = { view: viewRef.current, centre, distance, start: centre };
    };
    const onPointerDown = (event: PointerEvent) => {
      if (event.pointerType === 'mouse' && event.button !== 0) return;
      // Controls inside the frame (face boxes) keep their clicks; text on the photo is selected, not dragged.
      if (event.target instanceof Element && event.target.closest(KEEPS_POINTER)) return;
      if (pointers.size === 0 && viewRef.current.scale === 1 && event.pointerType === 'mouse') return;
      pointers.set(event.pointerId, local(event));
      if (pointers.size > 2) return;
      if (pointers.size === 2 || viewRef.current.scale > 1) {
        node.setPointerCapture?.(event.pointerId);
        begin();
        if (event.pointerType === 'mouse') event.preventDefault(); // no text selection or image drag
      }
    };
    const onPointerMove = (event: PointerEvent) => {
      if (!pointers.has(event.pointerId)) return;
      pointers.set(event.pointerId, local(event));
      if (!gesture) return;
      const points = [...pointers.values()];
      const s = size();
      if (points.length === 2 && gesture.distance > 0) {
        const centre = { x: (points[0]!.x + points[1]!.x) / 2, y: (points[0]!.y + points[1]!.y) / 2 };
        const distance = Math.hypot(points[0]!.x - points[1]!.x, points[0]!.y - points[1]!.y);
        const scale = clampNumber((gesture.view.scale * distance) / gesture.distance, 1, maxRef.current);
        const ratio = scale / gesture.view.scale;
        apply(
          clampView(
            { scale, x: centre.x - (gesture.centre.x - gesture.view.x) * ratio, y: centre.y - (gesture.centre.y - gesture.view.y) * ratio, animate: false },
            s,
            maxRef.current,
          ),
        );
      } else if (points.length === 1 && gesture.view.scale > 1) {
        const p = points[0]!;
        setDragging(true);
        apply(
          clampView(
            { ...gesture.view, x: gesture.view.x + p.x - gesture.start.x, y: gesture.view.y + p.y - gesture.start.y, animate: false },
            s,
            maxRef.current,
          ),
        );
      }
    };
    const onPointerEnd = (event: PointerEvent) => {
      if (!pointers.delete(event.pointerId)) return;
      setDragging(false);
      // Lifting one finger of a pinch continues as a drag from where it is.
      if (pointers.size > 0 && (pointers.size === 2 || viewRef.current.scale > 1)) begin();
      else gesture = null;
    };
    const onDoubleClick = (event: MouseEvent) => {
      if (event.target instanceof Element && event.target.closest(KEEPS_POINTER)) return;
      event.preventDefault();
      const v = viewRef.current;
      if (v.scale > 1) apply(FIT);
      else apply(zoomAbout(v, Math.min(2.5, maxRef.current), local(event), size(), maxRef.current, true));
    };

    node.addEventListener('wheel', onWheel, { passive: false });
    node.addEventListener('pointerdown', onPointerDown);
    node.addEventListener('pointermove', onPointerMove);
    node.addEventListener('pointerup', onPointerEnd);
    node.addEventListener('pointercancel', onPointerEnd);
    node.addEventListener('dblclick', onDoubleClick);
    return () => {
      node.removeEventListener('wheel', onWheel);
      node.removeEventListener('pointerdown', onPointerDown);
      node.removeEventListener('pointermove', onPointerMove);
      node.removeEventListener('pointerup', onPointerEnd);
      node.removeEventListener('pointercancel', onPointerEnd);
      node.removeEventListener('dblclick', onDoubleClick);
    };
  }, [frame, apply, size]);

  return { view, zoomBy, reset, dragging };
}

/** A narrower window changes the frame's size: the view scales with it (the layer is in frame pixels). */
function useScaleWithFrame(
  frame: RefObject<HTMLElement | null>,
  viewRef: RefObject<ZoomView>,
  maxRef: RefObject<number>,
  apply: (next: ZoomView) => void,
): void {
  useEffect(() => {
    const node = frame.current;
    if (!node || typeof ResizeObserver === 'undefined') return;
    let last = { width: node.clientWidth, height: node.clientHeight };
    const observer = new ResizeObserver(() => {
      const now = { width: node.clientWidth, height: node.clientHeight };
      if (now.width === last.width || last.width === 0) {
        last = now;
        return;
      }
      const k = now.width / last.width;
      last = now;
      const v = viewRef.current;
      apply(clampView({ ...v, x: v.x * k, y: v.y * k, animate: false }, now, maxRef.current));
    });
    observer.observe(node);
    return () => observer.disconnect();
  }, [frame, viewRef, maxRef, apply]);
}
