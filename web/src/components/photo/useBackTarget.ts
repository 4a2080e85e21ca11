// Where the photo page's Esc and back link lead: the list the photo was opened from, named for the link.
import { useLocation } from '../../lib/router.js';

/** Where Esc and the back link lead: the list the photo was opened from, else the gallery. */
export function useBackTarget(): { to: string; label: string } {
  const { from } = useLocation();
  if (!from || from.startsWith('/photos/')) return { to: from ?? '/', label: from ? 'Back' : 'All photos' };
  const path = from.split('?')[0]!;
  if (path === '/') return { to: from, label: 'All photos' };
  if (path === '/search') return { to: from, label: 'Search results' };
  if (path.startsWith('/albums/')) return { to: from, label: 'Album' };
  if (path === '/albums') return { to: from, label: 'Albums' };
  if (path.startsWith('/people/')) return { to: from, label: 'Person' };
  if (path === '/people') return { to: from, label: 'People' };
  if (path === '/duplicates') return { to: from, label: 'Duplicates' };
  if (path === '/trash') return { to: from, label: 'Trash' };
  return { to: from, label: 'Back' };
}
