import { memo, useLayoutEffect, useRef, useState } from 'react';
import { isTerminal, photoUrls, type PhotoSummary } from '../api.js';
import { formatCamera, formatShortDate } from '../lib/format.js';
import { Link } from '../lib/router.js';
import { photoStateLabel } from './StateBadge.js';

/**
 * One square in the gallery. The thumbnail appears once the pipeline has made it; until then (or when it
 * cannot be made) the square says what the photo is waiting for. A thumbnail that failed to load is asked for
 * again when the photo's state moves on.
 */
export const PhotoTile = memo(PhotoTileView, (a, b) => sameTile(a.photo, b.photo));

/** The gallery reloads its list while photos are processed: a tile re-renders only when what it shows changed. */
function sameTile(a: PhotoSummary, b: PhotoSummary): boolean {
  return (
    a.id === b.id && a.state === b.state && a.filename === b.filename && a.takenAt === b.takenAt && a.make === b.make && a.model === b.model
  );
}

function PhotoTileView({ photo }: { photo: PhotoSummary }) {
  const [errorAt, setErrorAt] = useState<string | null>(null);
  const [loaded, setLoaded] = useState(false);
  const img = useRef<HTMLImageElement>(null);
  // Already in the browser's cache (back from a photo page): show it at once, without the fade-in.
  useLayoutEffect(() => {
    if (img.current?.complete && img.current.naturalWidth > 0) setLoaded(true);
  }, []);
  const failed = photo.state === 'failed';
  const showImage = !failed && errorAt !== photo.state;
  const src = photoUrls.thumbnail(photo.id) + (errorAt ? `?state=${encodeURIComponent(photo.state)}` : '');
  const date = formatShortDate(photo.takenAt);
  const camera = formatCamera(photo.make, photo.model);
  const working = !isTerminal(photo.state);
  const tooltip = [photo.filename, date, camera, working || failed || photo.state === 'partial' ? photoStateLabel(photo.state) : null]
    .filter(Boolean)
    .join(' · ');

  return (
    <Link
      to={photoUrls.page(photo.id)}
      className={`tile${loaded && showImage ? ' tile-loaded' : ''}`}
      data-testid="photo-tile"
      data-photo-id={photo.id}
      data-state={photo.state}
      title={tooltip}
    >
      {showImage ? (
        <img
          ref={img}
          className="tile-img"
          src={src}
          alt={photo.filename}
          loading="lazy"
          decoding="async"
          width={250}
          height={250}
          onLoad={() => setLoaded(true)}
          onError={() => {
            setLoaded(false);
            setErrorAt(photo.state);
          }}
        />
      ) : null}
      {!showImage || (working && !loaded) ? (
        <span className={`tile-placeholder tile-placeholder-${photo.state}`}>
          {working ? <span className="spinner" aria-hidden="true" /> : failed ? <WarningIcon /> : <ImageIcon />}
          <span className="tile-placeholder-state">{working || failed ? photoStateLabel(photo.state) : 'no thumbnail'}</span>
          <span className="tile-placeholder-name">{photo.filename}</span>
        </span>
      ) : null}
      {photo.state === 'partial' ? (
        <span className="tile-flag" title="Some steps failed">
          <WarningIcon />
          <span className="visually-hidden">partly processed</span>
        </span>
      ) : null}
      <span className="tile-caption" aria-hidden={showImage ? undefined : true}>
        <span className="tile-caption-name">{photo.filename}</span>
        {date ? <span className="tile-caption-date">{date}</span> : null}
      </span>
    </Link>
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
