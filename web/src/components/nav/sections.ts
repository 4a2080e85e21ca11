// The app's sections and where each is offered: the main row holds what a photo library is used for every day;
// creation tools join it where the library uses them (else they are nowhere); status and admin things sit behind "More",
// from where every feature stays one tap away.

export interface Section {
  to: string;
  label: string;
  /** An icon's path (24×24) for the phone's bottom bar. */
  icon?: string;
}

/** Everyday sections; on a phone the first four are the bottom bar and the rest move behind "More". */
export const EVERYDAY: readonly Section[] = [
  { to: '/', label: 'Photos', icon: 'M4 5h16v14H4z M4 15l5-5 4 4 3-3 4 4' },
  { to: '/favorites', label: 'Favourites', icon: 'M12 20s-7-4.4-7-10a4 4 0 0 1 7-2.6A4 4 0 0 1 19 10c0 5.6-7 10-7 10z' },
  {
    to: '/people',
    label: 'People',
    icon: 'M9 11a3.5 3.5 0 1 0 0-7 3.5 3.5 0 0 0 0 7z M2.5 20a6.5 6.5 0 0 1 13 0 M16 4.3a3.5 3.5 0 0 1 0 6.4 M18 14.5a6.5 6.5 0 0 1 3.5 5.5',
  },
  { to: '/albums', label: 'Albums', icon: 'M4 7h16v13H4z M7 4h10 M9 13l2 2 4-4' },
  { to: '/map', label: 'Map', icon: 'M9 4 3 6v14l6-2 6 2 6-2V4l-6 2z M9 4v14 M15 6v14' },
  { to: '/memories', label: 'Memories', icon: 'M12 3a9 9 0 1 0 9 9 M12 7v5l3 2 M17 3v4h4' },
  { to: '/sharing', label: 'Sharing' },
];

/** Tools for shops and makers: only in a library that uses them, in the main row or behind "More" (Account → Settings). */
export const CREATION: readonly Section[] = [
  { to: '/create', label: 'Create' },
  { to: '/catalogue', label: 'Catalogue' },
];

/** Status, housekeeping and settings: behind "More" everywhere. */
export const TOOLS: readonly Section[] = [
  { to: '/backup', label: 'Back up' },
  { to: '/import', label: 'Import' },
  { to: '/duplicates', label: 'Duplicates' },
  { to: '/archive', label: 'Archive' },
  { to: '/trash', label: 'Trash' },
  { to: '/jobs', label: 'Jobs' },
  { to: '/settings/libraries', label: 'Libraries in place' },
  { to: '/settings/models', label: 'Models' },
  { to: '/account', label: 'Account' },
];

/** How many everyday sections the phone's bottom bar shows before "More". */
export const PHONE_BAR = 4;

/** The section a path belongs to (a photo page belongs to none: it is reached from every section). */
export function sectionOf(pathname: string): string | null {
  if (pathname === '/' || pathname === '/index.html') return '/';
  const all = [...EVERYDAY, ...CREATION, ...TOOLS];
  const found = all.find((section) => section.to !== '/' && (pathname === section.to || pathname.startsWith(`${section.to}/`)));
  if (found) return found.to;
  return pathname.startsWith('/partners/') ? '/sharing' : null;
}
