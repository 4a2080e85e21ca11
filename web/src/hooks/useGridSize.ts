import { useLayoutEffect, useState } from 'react';

export interface GridSize {
  columns: number;
  /** Tile edge in CSS pixels. */
  tile: number;
  gap: number;
}

let lastSize: GridSize | null = null;

/** Tile sizes: at least this wide, stretched so that whole columns fill the width. */
function sizeFor(width: number): GridSize {
  const small = width < 520;
  const gap = small ? 3 : 6;
  const min = small ? 104 : 168;
  const columns = Math.max(1, Math.floor((width + gap) / (min + gap)));
  const tile = Math.floor(((width - (columns - 1) * gap) / columns) * 100) / 100;
  return { columns, tile, gap };
}

/**
 * The number of columns and the tile size that fill an element's width, kept up to date as it resizes.
 * Returns a callback ref for the element (it may mount later than the component) and the size once measured.
 */
export function useGridSize(): [(node: HTMLElement | null) => void, GridSize | null] {
  const [node, setNode] = useState<HTMLElement | null>(null);
  // Start from the last size measured, so that a gallery shown again has its full height at once (and the
  // scroll position can be restored) before it is measured again.
  const [size, setSize] = useState<GridSize | null>(lastSize);
  useLayoutEffect(() => {
    if (!node) return;
    const measure = () => {
      const next = sizeFor(node.clientWidth);
      lastSize = next;
      setSize((prev) => (prev && prev.columns === next.columns && prev.tile === next.tile && prev.gap === next.gap ? prev : next));
    };
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(node);
    return () => observer.disconnect();
  }, [node]);
  return [setNode, size];
}
