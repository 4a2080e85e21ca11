import { useEffect } from 'react';
import { Link } from '../lib/router.js';

export function NotFound() {
  useEffect(() => {
    document.title = 'Not found · Shoebox';
  }, []);
  return (
    <main className="panel not-found">
      <h1>There is no page here</h1>
      <p>
        <Link to="/">Go to all photos</Link> · <a href="/api/docs">API documentation</a>
      </p>
    </main>
  );
}
