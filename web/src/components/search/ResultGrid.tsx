// Search results as a grid of tiles, each with "why this matched": shown over the tile on hover or keyboard
// focus, and on a tap of its (i) button on a touch screen. Opening a result makes the list the photo page's
// ←/→ order.
import { useCallback, useEffect, useId, useMemo, useState, type ReactNode } from 'react';
import type { SearchHit, SimilarHit } from '../../client/search.js';
import { stepThroughList } from '../../store/resultSequence.js';
import { PhotoGrid, type TilePhoto } from '../PhotoGrid.js';
import { WhyMatched, WhySimilar } from './WhyMatched.js';

type Hit = { kind: 'text'; hit: SearchHit; query: string } | { kind: 'similar'; hit: SimilarHit; source: string };
type ResultPhoto = TilePhoto & { result: Hit };

/**
 * The hits of a text search. Close matches (a similar spelling, when the words as typed found photos too) come
 * last from the API and get a grid of their own under a heading, so they never read as matches of the words.
 */
export function TextResultGrid({ hits, query }: { hits: SearchHit[]; query: string }) {
  const photos = useMemo(() => hits.map((hit): ResultPhoto => ({ ...hit.photo, result: { kind: 'text', hit, query } })), [hits, query]);
  const firstClose = photos.findIndex((photo) => photo.result.kind === 'text' && photo.result.hit.explanation.closeMatch);
  if (firstClose < 0) return <ResultGrid photos={photos} label={`Search results for ${query}`} />;
  return (
    <>
      {firstClose > 0 ? <ResultGrid photos={photos.slice(0, firstClose)} label={`Search results for ${query}`} sequence={photos} /> : null}
      <h2 className="search-close-heading" data-testid="search-close-heading">
        Close matches <span className="muted">— similar words, not “{query}” as typed</span>
      </h2>
      <ResultGrid photos={photos.slice(firstClose)} label={`Close matches for ${query}`} testId="search-close-matches" sequence={photos} />
    </>
  );
}

export function SimilarResultGrid({ hits, source }: { hits: SimilarHit[]; source: string }) {
  const photos = useMemo(() => hits.map((hit): ResultPhoto => ({ ...hit.photo, result: { kind: 'similar', hit, source } })), [hits, source]);
  return <ResultGrid photos={photos} label={`Photos like ${source}`} />;
}

function ResultGrid({
  photos,
  label,
  testId = 'search-results',
  sequence = photos,
}: {
  photos: ResultPhoto[];
  label: string;
  testId?: string;
  /** The photo page's ←/→ order when one opens (all the results, over both grids). */
  sequence?: ResultPhoto[];
}) {
  const onOpen = useCallback(() => stepThroughList(sequence), [sequence]);
  // One explanation open at a time (tapped open); a tap elsewhere or Escape closes it.
  const [openId, setOpenId] = useState<string | null>(null);
  useEffect(() => {
    if (!openId) return;
    const onPointer = (event: PointerEvent) => {
      if (event.target instanceof Element && event.target.closest('.why-popover, .why-toggle')) return;
      setOpenId(null);
    };
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape') setOpenId(null);
    };
    document.addEventListener('pointerdown', onPointer);
    document.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('pointerdown', onPointer);
      document.removeEventListener('keydown', onKey);
    };
  }, [openId]);
  return (
    <PhotoGrid
      photos={photos}
      label={label}
      testId={testId}
      onOpen={onOpen}
      overlay={(photo) => (
        <WhyOverlay filename={photo.filename} open={openId === photo.id} onToggle={(open) => setOpenId(open ? photo.id : null)}>
          {(id) =>
            photo.result.kind === 'text' ? (
              <WhyMatched id={id} hit={photo.result.hit} query={photo.result.query} />
            ) : (
              <WhySimilar id={id} similarity={photo.result.hit.similarity} rank={photo.result.hit.rank} source={photo.result.source} />
            )
          }
        </WhyOverlay>
      )}
    />
  );
}

/**
 * The (i) button and the explanation. Over the tile on hover and focus; tapped open, it stays (on a phone it
 * becomes a sheet at the bottom of the screen, naming the photo, since a small tile has no room for it).
 */
function WhyOverlay({
  filename,
  open,
  onToggle,
  children,
}: {
  filename: string;
  open: boolean;
  onToggle: (open: boolean) => void;
  children: (id: string) => ReactNode;
}) {
  const id = useId();
  return (
    <>
      <button
        type="button"
        className="why-toggle"
        aria-expanded={open}
        aria-controls={id}
        aria-label={`Why ${filename} matched`}
        title="Why this matched"
        data-testid="why-toggle"
        onClick={() => onToggle(!open)}
      >
        <svg viewBox="0 0 24 24" className="icon" aria-hidden="true" focusable="false">
          <circle cx="12" cy="12" r="9" />
          <path d="M12 11v5.5M12 7.6v.3" />
        </svg>
      </button>
      <div className={`why-popover${open ? ' why-open' : ''}`}>
        <p className="why-file">{filename}</p>
        {children(id)}
        <button type="button" className="button why-close" onClick={() => onToggle(false)}>
          Close
        </button>
      </div>
    </>
  );
}
