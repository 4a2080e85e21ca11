// Placeholder until search is built (issue 6 in progress).
import { useState } from 'react';
import { navigate } from '../lib/router.js';

export function SearchBar() {
  const [text, setText] = useState('');
  return (
    <form role="search" className="search-bar" onSubmit={(event) => { event.preventDefault(); navigate(`/search?q=${encodeURIComponent(text)}`); }}>
      <input type="search" aria-label="Search photos" placeholder="Search photos" value={text} onChange={(event) => setText(event.target.value)} />
    </form>
  );
}
