// What the search page shows before anything is searched: what can be searched for, with example searches, and
// the way to search by image.
import { Link } from '../../lib/router.js';
import { ImagePickerButton } from './imageSearch.js';
import { emptyState, searchHref } from './searchState.js';

export function StartHere({ onImage }: { onImage: (file: File) => void }) {
  const examples = [
    { q: 'beach at sunset', why: 'what a photo shows, in your own words' },
    { q: 'birthday', why: 'a tag, an album or a keyword' },
    { q: 'Paris', why: 'where it was taken' },
    { q: 'menu', why: 'text written in the photo' },
    { q: 'iPhone', why: 'the camera' },
  ];
  return (
    <div className="search-start" data-testid="search-start">
      <p className="search-start-lead">
        Type in the search box above (press <kbd>/</kbd> from anywhere) to find photos by what is in them, who is in them, where they were taken, or the text
        written in them.
      </p>
      <ul className="search-examples">
        {examples.map((example) => (
          <li key={example.q}>
            <Link to={searchHref({ ...emptyState, q: example.q })}>{example.q}</Link> <span className="muted">— {example.why}</span>
          </li>
        ))}
      </ul>
      <div className="search-start-image">
        <p>Or find photos that look like another one: drop a photo anywhere on this page, or</p>
        <ImagePickerButton onImage={onImage} label="Pick an image" testId="start-image-input" />
      </div>
    </div>
  );
}
