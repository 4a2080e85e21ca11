// What kind of thing a suggestion or a filter chip is: a small icon, and a word for it.
import type { JSX } from 'react';
import type { SuggestionKind } from '../../client/search.js';

export const SUGGESTION_KIND_LABEL: Record<SuggestionKind, string> = {
  tag: 'Tag',
  person: 'Person',
  place: 'Place',
  camera: 'Camera',
  album: 'Album',
};

const PATHS: Record<SuggestionKind, JSX.Element> = {
  tag: (
    <>
      <path d="M3.5 12.2V4.5a1 1 0 0 1 1-1h7.7l8.3 8.3a1.4 1.4 0 0 1 0 2l-6.2 6.2a1.4 1.4 0 0 1-2 0z" />
      <circle cx="8" cy="8" r="1.4" />
    </>
  ),
  person: (
    <>
      <circle cx="12" cy="8" r="4" />
      <path d="M4.5 20.5c.9-4 3.9-6 7.5-6s6.6 2 7.5 6" />
    </>
  ),
  place: (
    <>
      <path d="M12 21s-6.5-6.1-6.5-11.3a6.5 6.5 0 0 1 13 0C18.5 14.9 12 21 12 21z" />
      <circle cx="12" cy="9.7" r="2.3" />
    </>
  ),
  camera: (
    <>
      <path d="M3.5 8.5a2 2 0 0 1 2-2h2.2l1.6-2.2h5.4l1.6 2.2h2.2a2 2 0 0 1 2 2v9a2 2 0 0 1-2 2h-13a2 2 0 0 1-2-2z" />
      <circle cx="12" cy="12.8" r="3.4" />
    </>
  ),
  album: (
    <>
      <rect x="3.5" y="6.5" width="14" height="13" rx="1.6" />
      <path d="M7 3.5h12a1.5 1.5 0 0 1 1.5 1.5v11.5" />
      <path d="m5.5 17 3.6-3.8 2.6 2.6 1.8-1.8 2.5 3" />
    </>
  ),
};

export function SuggestionIcon({ kind }: { kind: SuggestionKind }) {
  return (
    <svg viewBox="0 0 24 24" className="icon suggestion-icon" aria-hidden="true" focusable="false">
      {PATHS[kind]}
    </svg>
  );
}
