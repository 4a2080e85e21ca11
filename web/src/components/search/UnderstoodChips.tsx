// What the server understood in the words typed — people, places, dates, kinds, ratings, albums, exclusions — as
// chips over the results: each can be taken out (its words leave the query), a name that matched several people
// offers the others ("Did you mean Marie Curie?"), and the whole can be searched exactly as typed instead.
import type { Understood } from '../../client/search.js';

type Part = Understood['parts'][number];

const KIND_WORDS: Record<Part['kind'], string> = {
  person: 'Person',
  place: 'Place',
  date: 'Date',
  type: 'Kind',
  camera: 'Camera',
  favorite: 'Favourites',
  rating: 'Rating',
  best: 'Order',
  album: 'Album',
  text: 'Words',
  exclusion: 'Without',
};

/** The query without the words at [start, end). */
export function withoutSpan(q: string, start: number, end: number): string {
  return `${q.slice(0, start)} ${q.slice(end)}`.replace(/\s+/g, ' ').trim();
}

/** The query with the words at [start, end) replaced. */
export function replaceSpan(q: string, start: number, end: number, text: string): string {
  return `${q.slice(0, start)}${text}${q.slice(end)}`;
}

export function UnderstoodChips({
  understood,
  q,
  exact,
  onQuery,
}: {
  understood: Understood | null;
  q: string;
  exact: boolean;
  onQuery: (q: string, exact: boolean) => void;
}) {
  if (exact) {
    return (
      <p className="search-note" data-testid="search-exact">
        Searched the words exactly as typed.{' '}
        <button type="button" className="search-link-button" onClick={() => onQuery(q, false)}>
          Understand names, places and dates in them
        </button>
      </p>
    );
  }
  const shown = understood?.parts.filter((part) => part.kind !== 'text') ?? [];
  if (!understood || shown.length === 0) return null;
  return (
    <div className="understood" data-testid="understood">
      <span className="understood-lead">Understood:</span>
      <ul className="understood-chips" aria-label="What the search understood">
        {shown.map((part) => (
          <li key={`${part.kind}-${part.start}`} className="understood-chip" data-kind={part.kind} data-negated={part.negated || undefined}>
            <span className="understood-kind">{KIND_WORDS[part.kind]}</span>
            <span className="understood-label">
              {part.negated && part.kind !== 'exclusion' && !/^(no|not) /.test(part.label) ? 'not ' : ''}
              {part.label}
            </span>
            <button
              type="button"
              className="understood-remove"
              aria-label={`Take out ${part.label}`}
              title={`Take out “${q.slice(part.start, part.end)}”`}
              onClick={() => onQuery(withoutSpan(q, part.start, part.end), false)}
            >
              ×
            </button>
          </li>
        ))}
        {understood.text ? (
          <li className="understood-words" data-testid="understood-words">
            and the words “{understood.text}”
          </li>
        ) : null}
      </ul>
      {understood.didYouMean.map((ask) => (
        <p key={`${ask.start}-${ask.text}`} className="search-note" data-testid="did-you-mean">
          {understood.people.some((p) => ask.options[0] && p.id === ask.options[0].id)
            ? `“${ask.text}” is ${ask.options[0]!.name} here. Did you mean `
            : 'Did you mean '}
          {ask.options
            .filter((option, index) => index > 0 || !understood.people.some((p) => p.id === option.id))
            .map((option, index, list) => (
              <span key={option.id}>
                <button type="button" className="search-link-button" onClick={() => onQuery(replaceSpan(q, ask.start, ask.end, option.name), false)}>
                  {option.name}
                </button>
                {index < list.length - 1 ? ', ' : ''}
              </span>
            ))}
          ?
        </p>
      ))}
      <button type="button" className="search-link-button understood-exact" onClick={() => onQuery(q, true)}>
        Search the words exactly as typed
      </button>
    </div>
  );
}
