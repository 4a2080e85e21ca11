import type { ReactNode } from 'react';
import type { TilePhoto } from '../client/library.js';
import { PhotoTile } from './PhotoTile.js';
import '../styles/gallery.css';

export type { TilePhoto };

export interface PhotoGridProps<T extends TilePhoto> {
  /** The photos, in the order to show them. */
  photos: readonly T[];
  /** What the list is, for screen readers ("Search results", "Similar photos"). */
  label: string;
  /** Where a tile leads (the photo page by default). */
  hrefFor?: (photo: T) => string;
  /** Called before a photo opens. */
  onOpen?: (photo: T) => void;
  /** Drawn over each tile (a score, "why this matched"). */
  overlay?: (photo: T) => ReactNode;
  /** With `onSelect`, tiles get a check circle; `selecting` makes a click select instead of open. */
  selected?: ReadonlySet<string>;
  onSelect?: (photo: T, range: boolean) => void;
  selecting?: boolean;
  /** Smaller tiles, for a strip of related photos. */
  compact?: boolean;
  testId?: string;
}

/**
 * A plain grid of photo tiles for short lists (search results, similar photos, the trash): every tile in the
 * DOM, so keep it to a few hundred. The library's timeline is the virtualised one.
 */
export function PhotoGrid<T extends TilePhoto>({ photos, label, hrefFor, onOpen, overlay, selected, onSelect, selecting, compact, testId }: PhotoGridProps<T>) {
  return (
    <ul className={`photo-grid${compact ? ' photo-grid-compact' : ''}`} aria-label={label} data-testid={testId}>
      {photos.map((photo) => (
        <li key={photo.id} className="photo-grid-cell">
          <PhotoTile
            photo={photo}
            href={hrefFor?.(photo)}
            onOpen={onOpen as ((photo: TilePhoto) => void) | undefined}
            onSelect={onSelect as ((photo: TilePhoto, range: boolean) => void) | undefined}
            selected={selected?.has(photo.id) ?? false}
            selecting={selecting}
          >
            {overlay?.(photo)}
          </PhotoTile>
        </li>
      ))}
    </ul>
  );
}
