import { memo, useEffect, useLayoutEffect, useRef, useState, type MouseEvent, type PointerEvent as ReactPointerEvent, type ReactNode } from 'react';
import { useLongPress } from '../hooks/useLongPress.js';
import { isTerminal, photoUrls } from '../api.js';
import { formatCamera, formatClipLength, formatShortDate, photosAndVideos } from '../lib/format.js';
import { Link } from '../lib/router.js';
import { SilentClip } from './SilentClip.js';
import { photoStateLabel } from './StateBadge.js';
import type { TilePhoto } from '../client/library.js';

export interface PhotoTileProps {
  photo: TilePhoto;
  /** Where the tile leads (the photo page by default). */
  href?: string;
  /**
   * Shows the check circle and reacts to it; without it the tile is only a link. `pressed`: by a finger's long
   * press, which may go on to drag a range.
   */
  onSelect?: (photo: TilePhoto, range: boolean, pressed?: boolean) => void;
  selected?: boolean;
  /** Selection mode: a click on the tile selects instead of opening. */
  selecting?: boolean;
  /** Called before the photo page opens (a timeline tells the photo page which ordering to step through). */
  onOpen?: (photo: TilePhoto) => void;
  /** Drawn over the tile (a score, a badge). */
  children?: ReactNode;
  /**
   * Load the thumbnail at once: a virtualised list only has tiles near the screen in the DOM, and the browser's
   * lazy loading would only wait for a layout to find that out.
   */
  eager?: boolean;
}

/**
 * One square: the dominant colour at once, the thumbnail fading in when it arrives; until the pipeline has
 * made it (or when it cannot be made) the square says what the photo is waiting for. A thumbnail that failed
 * to load is asked for again when the photo's state moves on.
 */
export const PhotoTile = memo(PhotoTileView, (a, b) => {
  return (
    sameTile(a.photo, b.photo) &&
    a.href === b.href &&
    a.selected === b.selected &&
    a.selecting === b.selecting &&
    a.onSelect === b.onSelect &&
    a.onOpen === b.onOpen &&
    a.eager === b.eager &&
    a.children === b.children
  );
});

/** Lists reload while photos are processed: a tile re-renders only when what it shows changed. */
function sameTile(a: TilePhoto, b: TilePhoto): boolean {
  return (
    a.id === b.id &&
    a.state === b.state &&
    a.hasThumbnail === b.hasThumbnail &&
    a.filename === b.filename &&
    a.takenAt === b.takenAt &&
    a.make === b.make &&
    a.model === b.model &&
    a.colour === b.colour &&
    a.favorite === b.favorite &&
    a.offline === b.offline &&
    a.type === b.type &&
    a.durationMs === b.durationMs &&
    a.motion === b.motion &&
    a.stack?.count === b.stack?.count
  );
}

function PhotoTileView({ photo, href, onSelect, selected = false, selecting = false, onOpen, children, eager = false }: PhotoTileProps) {
  const [errorAt, setErrorAt] = useState<string | null>(null);
  const [loaded, setLoaded] = useState(false);
  const img = useRef<HTMLImageElement>(null);
  // Already in the browser's cache (back from a photo page): show it at once, without the fade-in.
  useLayoutEffect(() => {
    if (img.current?.complete && img.current.naturalWidth > 0) setLoaded(true);
  }, []);
  const state = photo.state ?? 'completed';
  const failed = state === 'failed';
  const working = !isTerminal(state);
  // The thumbnail shows as soon as it exists, while the rest of the analysis goes on (and stays while a step is
  // redone); a list that does not say so shows it once the photo is done. A thumbnail that failed to load is
  // asked for again when the photo moves on.
  const hasThumbnail = photo.hasThumbnail ?? (!working && !failed);
  const attempt = `${state}-${hasThumbnail}`;
  const showImage = hasThumbnail && errorAt !== attempt;
  const src = photoUrls.thumbnail(photo.id) + (errorAt ? `?state=${encodeURIComponent(attempt)}` : '');
  const date = formatShortDate(photo.takenAt ?? null);
  const camera = formatCamera(photo.make ?? null, photo.model ?? null);
  const tooltip = [
    photo.filename,
    date,
    camera,
    working || failed || state === 'partial' ? photoStateLabel(state) : null,
    photo.offline ? 'offline: its file is not in its folder' : null,
  ]
    .filter(Boolean)
    .join(' · ');

  const preview = useHoverPreview(showImage && (photo.type === 'video' || photo.motion === true));
  // a finger resting on a tile selects it and, on a clip, plays it while it rests
  const onLongPress =
    onSelect || preview.enabled
      ? () => {
          onSelect?.(photo, false, true);
          preview.start();
        }
      : null;
  const { consumeClick, ...pressHandlers } = useLongPress(onLongPress, preview.stop);

  const onClick = (event: MouseEvent<HTMLAnchorElement>) => {
    if (consumeClick()) {
      event.preventDefault();
      return;
    }
    if (onSelect && (selecting || event.shiftKey) && event.button === 0 && !event.metaKey && !event.ctrlKey && !event.altKey) {
      event.preventDefault();
      onSelect(photo, event.shiftKey);
      return;
    }
    onOpen?.(photo);
  };

  return (
    <div className={`tile-cell${selected ? ' tile-selected' : ''}${selecting ? ' tile-selecting' : ''}`} {...pressHandlers} {...preview.handlers}>
      <Link
        to={href ?? photoUrls.page(photo.id)}
        className={`tile${loaded && showImage ? ' tile-loaded' : ''}${photo.offline ? ' tile-offline' : ''}`}
        data-testid="photo-tile"
        data-photo-id={photo.id}
        data-state={state}
        data-offline={photo.offline ? 'true' : undefined}
        data-selected={onSelect ? String(selected) : undefined}
        title={tooltip}
        onClick={onClick}
        style={photo.colour ? { backgroundColor: photo.colour } : undefined}
      >
        {showImage ? (
          <img
            ref={img}
            className="tile-img"
            src={src}
            alt={photo.filename}
            loading={eager ? 'eager' : 'lazy'}
            decoding="async"
            width={250}
            height={250}
            draggable={false}
            onLoad={() => setLoaded(true)}
            onError={() => {
              setLoaded(false);
              setErrorAt(attempt);
            }}
          />
        ) : null}
        {preview.playing ? <SilentClip photoId={photo.id} className="tile-preview" testId="tile-preview" loop onStop={preview.stop} /> : null}
        {!showImage ? (
          <span className={`tile-placeholder tile-placeholder-${state}`}>
            {working ? <span className="spinner" aria-hidden="true" /> : failed ? <WarningIcon /> : <ImageIcon />}
            <span className="tile-placeholder-state">{working || failed ? photoStateLabel(state) : 'no thumbnail'}</span>
            <span className="tile-placeholder-name">{photo.filename}</span>
          </span>
        ) : null}
        <TileBadges photo={photo} state={state} working={showImage && working} />
        <span className="tile-caption" aria-hidden={showImage ? undefined : true}>
          <span className="tile-caption-name">{photo.filename}</span>
          {date ? <span className="tile-caption-date">{date}</span> : null}
        </span>
      </Link>
      {onSelect ? (
        <button
          type="button"
          className="tile-check"
          aria-pressed={selected}
          aria-label={`Select ${photo.filename}`}
          data-testid="tile-check"
          onClick={(event) => onSelect(photo, event.shiftKey)}
        >
          <CheckIcon />
        </button>
      ) : null}
      {children}
    </div>
  );
}

/** The marks over a tile: still analysed, partly processed, a video's length, a motion photo, a stack, a favourite. */
function TileBadges({ photo, state, working }: { photo: TilePhoto; state: string; working: boolean }) {
  return (
    <>
      {working ? (
        <span className="tile-working" data-testid="tile-working" title={`${photoStateLabel(state)} — still being analysed`}>
          <span className="spinner" aria-hidden="true" />
          <span className="visually-hidden">still being analysed</span>
        </span>
      ) : null}
      {state === 'partial' ? (
        <span className="tile-flag" title="Some steps failed">
          <WarningIcon />
          <span className="visually-hidden">partly processed</span>
        </span>
      ) : null}
      {photo.type === 'video' ? (
        <span className="tile-video" data-testid="tile-video" title="Video">
          <PlayIcon />
          {photo.durationMs !== null && photo.durationMs !== undefined ? <span className="tile-video-length">{formatClipLength(photo.durationMs)}</span> : null}
          <span className="visually-hidden">video</span>
        </span>
      ) : null}
      {photo.motion && photo.type !== 'video' ? (
        <span className="tile-video tile-motion" data-testid="tile-motion" title="Motion photo">
          <MotionIcon />
          <span className="visually-hidden">motion photo</span>
        </span>
      ) : null}
      {photo.stack ? (
        <span className="tile-video tile-stack" data-testid="tile-stack" title={`A stack of ${photosAndVideos(photo.stack.count, photo.stack.videos)}`}>
          <StackIcon />
          {photo.stack.count}
          <span className="visually-hidden"> {photo.stack.count === 1 ? 'item' : 'items'} in this stack</span>
        </span>
      ) : null}
      {photo.favorite ? (
        <span className="tile-favorite" title="Favourite">
          <HeartIcon />
          <span className="visually-hidden">favourite</span>
        </span>
      ) : null}
    </>
  );
}

export function CheckIcon() {
  return (
    <svg viewBox="0 0 24 24" className="icon check-icon" aria-hidden="true" focusable="false">
      <circle cx="12" cy="12" r="10" />
      <path d="m7.5 12.5 3 3 6-6.5" />
    </svg>
  );
}

export function HeartIcon() {
  return (
    <svg viewBox="0 0 24 24" className="icon heart-icon" aria-hidden="true" focusable="false">
      <path d="M12 20.5s-7.5-4.6-7.5-10.2A4.3 4.3 0 0 1 12 7.6a4.3 4.3 0 0 1 7.5 2.7c0 5.6-7.5 10.2-7.5 10.2Z" />
    </svg>
  );
}

function WarningIcon() {
  return (
    <svg viewBox="0 0 24 24" className="icon" aria-hidden="true" focusable="false">
      <path d="M12 3.5 2.5 20h19L12 3.5Z" />
      <path d="M12 10v4.5M12 17.2v.3" />
    </svg>
  );
}

function ImageIcon() {
  return (
    <svg viewBox="0 0 24 24" className="icon" aria-hidden="true" focusable="false">
      <rect x="3" y="4.5" width="18" height="15" rx="2" />
      <circle cx="8.5" cy="9.5" r="1.5" />
      <path d="m4 18 5-5 4 4 3-3 4 4" />
    </svg>
  );
}

export function PlayIcon() {
  return (
    <svg viewBox="0 0 24 24" className="icon play-icon" aria-hidden="true" focusable="false">
      <path d="M7 4.5v15l12.5-7.5L7 4.5Z" fill="currentColor" stroke="none" />
    </svg>
  );
}

/** Cards one behind the other: a stack of photos shown as one. */
export function StackIcon() {
  return (
    <svg viewBox="0 0 24 24" className="icon stack-icon" aria-hidden="true" focusable="false">
      <rect x="3" y="8" width="13" height="13" rx="2" fill="currentColor" stroke="none" />
      <path d="M7 5h11a2 2 0 0 1 2 2v11" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" />
    </svg>
  );
}

/** Apple's and Google's mark for a moving photo: a dot in rings. */
export function MotionIcon() {
  return (
    <svg viewBox="0 0 24 24" className="icon motion-icon" aria-hidden="true" focusable="false">
      <circle cx="12" cy="12" r="2.5" fill="currentColor" stroke="none" />
      <circle cx="12" cy="12" r="6" fill="none" stroke="currentColor" strokeWidth="1.8" />
      <circle cx="12" cy="12" r="9.5" fill="none" stroke="currentColor" strokeWidth="1.4" strokeDasharray="2 2.6" />
    </svg>
  );
}

/** How long the pointer rests on a video's tile before it plays: a pass over the grid plays nothing. */
const HOVER_DELAY_MS = 350;

/**
 * A video's or motion photo's tile plays it, muted, while a mouse rests on it, or (`start`, `stop`) while a finger
 * presses it.
 */
function useHoverPreview(enabled: boolean) {
  const [playing, setPlaying] = useState(false);
  const timer = useRef<number | undefined>(undefined);
  useEffect(() => () => window.clearTimeout(timer.current), []);
  const stop = () => {
    window.clearTimeout(timer.current);
    setPlaying(false);
  };
  const handlers = enabled
    ? {
        onPointerEnter: (event: ReactPointerEvent) => {
          if (event.pointerType !== 'mouse') return;
          window.clearTimeout(timer.current);
          timer.current = window.setTimeout(() => setPlaying(true), HOVER_DELAY_MS);
        },
        onPointerLeave: stop,
      }
    : {};
  const start = () => {
    window.clearTimeout(timer.current);
    if (enabled) setPlaying(true);
  };
  return { enabled, playing: enabled && playing, handlers, start, stop };
}
