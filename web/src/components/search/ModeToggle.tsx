// Hybrid / keyword / semantic as a segmented control: native radio buttons, so that arrow keys move between the
// modes and screen readers announce a group of three choices.
import { useId } from 'react';
import { SEARCH_MODES, type SearchMode } from '../../client/search.js';

const MODES: Record<SearchMode, { label: string; hint: string }> = {
  hybrid: { label: 'Hybrid', hint: 'Words and meaning together: the best of both' },
  keyword: { label: 'Keyword', hint: 'The words themselves: tags, people, places, text in the photo, file names' },
  semantic: { label: 'Semantic', hint: 'What the photo shows, in your own words (needs a CLIP model)' },
};

export function ModeToggle({
  mode,
  unavailable,
  onChange,
}: {
  mode: SearchMode;
  /** Modes the server said it cannot run (no CLIP model): marked, still choosable so that the reason shows. */
  unavailable: ReadonlySet<SearchMode>;
  onChange: (mode: SearchMode) => void;
}) {
  const name = useId();
  return (
    <fieldset className="segmented" data-testid="search-mode">
      <legend className="visually-hidden">Search mode</legend>
      {SEARCH_MODES.map((value) => (
        <label
          key={value}
          className={`segment${unavailable.has(value) ? ' segment-unavailable' : ''}`}
          title={unavailable.has(value) ? `Not available: no CLIP model is installed on the server` : MODES[value].hint}
        >
          <input type="radio" name={name} value={value} checked={mode === value} onChange={() => onChange(value)} />
          <span>
            {MODES[value].label}
            {unavailable.has(value) ? <span className="visually-hidden"> (not available: no CLIP model)</span> : null}
          </span>
        </label>
      ))}
    </fieldset>
  );
}
