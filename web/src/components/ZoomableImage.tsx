import { useEffect, useRef, useState, type CSSProperties, type ReactNode } from 'react';
import { useZoom, ZOOM_STEP } from '../hooks/useZoom.js';
import { useShortcuts } from '../hooks/useShortcuts.js';

interface Props {
  /** The picture's width in pixels (upright), to say "100%" and to allow zooming to a few times that. */
  naturalWidth: number | null;
  /** What to zoom: the images and the face boxes, all laid out over the whole frame. */
  children: (zoom: { scale: number; frameWidth: number }) => ReactNode;
  /** Extra buttons for the toolbar (shown after the zoom buttons). */
  tools?: ReactNode;
  /** The frame's own class (its size and look). */
  className?: string;
  /** The figure around the frame (the toolbar goes under it, as wide as the stage). */
  figureClassName?: string;
  figureStyle?: CSSProperties;
}

/**
 * A frame that shows its content fitted and lets it be zoomed (wheel, pinch, double-click, + − 0 keys, buttons)
 * and panned (drag). The content is laid out at the frame's size and scaled with a transform, so anything drawn
 * over the picture in percentages (the face boxes) stays on the same spot.
 */
export function ZoomableImage({ naturalWidth, children, tools, className, figureClassName, figureStyle }: Props) {
  const frame = useRef<HTMLDivElement>(null);
  const [frameWidth, setFrameWidth] = useState(0);
  useEffect(() => {
    const node = frame.current;
    if (!node) return;
    setFrameWidth(node.clientWidth);
    if (typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(() => setFrameWidth(node.clientWidth));
    observer.observe(node);
    return () => observer.disconnect();
  }, []);
  // Up to 4× the picture's own pixels (at least 4× the fitted size, for small frames and small pictures).
  const actual = naturalWidth && frameWidth ? naturalWidth / frameWidth : 1;
  const maxScale = Math.max(4, actual * 4);
  const { view, zoomBy, reset, dragging } = useZoom(frame, maxScale);
  const zoomed = view.scale > 1.001;
  const percent = Math.round((view.scale / actual) * 100);

  // + and − zoom about the centre, 0 goes back to fit (not while typing or in a dialog).
  useShortcuts((key) => {
    if (key === '+' || key === '=') zoomBy(ZOOM_STEP);
    else if (key === '-' || key === '_') zoomBy(1 / ZOOM_STEP);
    else if (key === '0') reset();
    else return false;
    return true;
  });

  const layerStyle = {
    transform: `translate3d(${view.x}px, ${view.y}px, 0) scale(${view.scale})`,
    transition: view.animate ? 'transform 0.18s ease-out' : 'none',
    '--zoom': view.scale,
  } as CSSProperties;

  return (
    <>
      <figure className={figureClassName} style={figureStyle}>
        <div
          ref={frame}
          className={`zoom-frame${zoomed ? ' zoom-zoomed' : ''}${dragging ? ' zoom-dragging' : ''}${className ? ` ${className}` : ''}`}
          data-testid="zoom-frame"
          data-zoom={view.scale.toFixed(3)}
        >
          <div className="zoom-layer" style={layerStyle}>
            {children({ scale: view.scale, frameWidth })}
          </div>
        </div>
      </figure>
      <div className="zoom-toolbar" role="toolbar" aria-label="Zoom">
        <button
          type="button"
          className="icon-button"
          onClick={() => zoomBy(1 / ZOOM_STEP)}
          disabled={!zoomed}
          aria-label="Zoom out"
          title="Zoom out (−)"
          data-testid="zoom-out"
        >
          <span aria-hidden="true">−</span>
        </button>
        <output className="zoom-level" aria-live="polite" aria-label="Zoom level" data-testid="zoom-level">
          {zoomed ? `${percent}%` : 'Fit'}
        </output>
        <button
          type="button"
          className="icon-button"
          onClick={() => zoomBy(ZOOM_STEP)}
          disabled={view.scale >= maxScale - 0.001}
          aria-label="Zoom in"
          title="Zoom in (+, wheel, double-click)"
          data-testid="zoom-in"
        >
          <span aria-hidden="true">+</span>
        </button>
        <button
          type="button"
          className="button button-ghost button-small"
          onClick={reset}
          disabled={!zoomed}
          title="Fit the photo to the frame (0)"
          data-testid="zoom-reset"
        >
          Reset
        </button>
        {tools}
      </div>
    </>
  );
}
