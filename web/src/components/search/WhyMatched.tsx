// "Why this matched": the API's explanation of a hit in words — which fields held which words, how close the
// photo is to the query in meaning, and where each arm ranked it.
import type { SearchField, SearchHit } from '../../client/search.js';

const FIELD_LABEL: Record<SearchField, string> = {
  tags: 'Tag',
  people: 'Person',
  places: 'Place',
  albums: 'Album',
  keywords: 'Keyword',
  caption: 'Caption',
  ocr: 'Text in the photo',
  filename: 'File name',
  camera: 'Camera',
};

export interface Reason {
  label: string;
  detail: string;
}

/** The reasons for one hit, most telling first. */
export function reasonsFor(hit: Pick<SearchHit, 'explanation'>, query: string): Reason[] {
  const reasons: Reason[] = [];
  const { keyword, semantic } = hit.explanation;
  if (keyword) {
    for (const match of keyword.matches) {
      const where = match.where?.length ? ` (${placeOn(match.where)})` : '';
      reasons.push({ label: FIELD_LABEL[match.field] ?? match.field, detail: `${match.words.join(', ')}${where}` });
    }
    if (keyword.fuzzy) reasons.push({ label: 'Close match', detail: 'a similar spelling or part of a word' });
    if (keyword.matches.length === 0 && !keyword.fuzzy) reasons.push({ label: 'Words', detail: `matches “${query}”` });
  }
  if (semantic) reasons.push({ label: 'Looks like', detail: `“${query}” (similarity ${semantic.similarity.toFixed(2)})` });
  // what the query named as filters (people, places, dates…): every hit has them
  if (hit.explanation.satisfies?.length) reasons.push({ label: 'Matches', detail: hit.explanation.satisfies.join(' · ') });
  return reasons;
}

/** Where on the photo some boxes are, in words: "top left", "middle", "bottom right and top left". */
export function placeOn(boxes: readonly { x: number; y: number; width: number; height: number }[]): string {
  const places: string[] = [];
  for (const box of boxes) {
    const cx = box.x + box.width / 2;
    const cy = box.y + box.height / 2;
    const row = cy < 1 / 3 ? 'top' : cy < 2 / 3 ? 'middle' : 'bottom';
    const column = cx < 1 / 3 ? 'left' : cx < 2 / 3 ? '' : 'right';
    const place = row === 'middle' && column ? column : `${row}${column ? ` ${column}` : ''}`;
    if (!places.includes(place)) places.push(place);
  }
  return places.slice(0, 2).join(' and ') + (places.length > 2 ? ' and elsewhere' : '');
}

/** Which arm found the hit, at which rank: "#2 by words · #5 by meaning". */
export function rankSummary(hit: Pick<SearchHit, 'explanation'>): string {
  const parts: string[] = [];
  if (hit.explanation.keyword) parts.push(`#${hit.explanation.keyword.rank} by words`);
  if (hit.explanation.semantic) parts.push(`#${hit.explanation.semantic.rank} by meaning`);
  if (parts.length === 0 && hit.explanation.satisfies?.length) parts.push('newest first of what matches');
  return parts.join(' · ');
}

/** The explanation as a short list; `id` lets the tile's link point at it (aria-describedby). */
export function WhyMatched({ id, hit, query }: { id: string; hit: SearchHit; query: string }) {
  const reasons = reasonsFor(hit, query);
  return (
    <div id={id} className="why" data-testid="why-matched">
      <p className="why-title">Why this matched</p>
      <dl className="why-list">
        {reasons.map((reason, index) => (
          <div key={index} className="why-row">
            <dt>{reason.label}</dt>
            <dd>{reason.detail}</dd>
          </div>
        ))}
      </dl>
      <p className="why-rank">{rankSummary(hit)}</p>
    </div>
  );
}

/** The same for an image search: only how alike the two look. */
export function WhySimilar({ id, similarity, rank, source }: { id: string; similarity: number; rank: number; source: string }) {
  return (
    <div id={id} className="why" data-testid="why-matched">
      <p className="why-title">Why this matched</p>
      <dl className="why-list">
        <div className="why-row">
          <dt>Looks like</dt>
          <dd>
            {source} (similarity {similarity.toFixed(2)})
          </dd>
        </div>
      </dl>
      <p className="why-rank">#{rank} by likeness</p>
    </div>
  );
}
