// What a QR code's or barcode's text is to a person: the words they would type to find it, and whether it is a link
// the photo page may offer. Pure; the web app uses `codeLink` too.

/**
 * A decoded text as the library keeps it, bounded: no control characters (PostgreSQL's text refuses NUL), and no
 * bidi controls (U+202A–202E, U+2066–2069, U+200E/F, U+061C) or zero-width characters (U+200B–200D, U+2060, U+FEFF),
 * which would make the text shown on the page or in a terminal read otherwise than it is (Trojan Source).
 */
export const CODE_TEXT_LIMIT = 4096;

const HIDDEN = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u061c\u200b-\u200f\u202a-\u202e\u2060\u2066-\u2069\ufeff]/gu;

export function keptCodeText(text: string): string {
  return text.replace(HIDDEN, '').slice(0, CODE_TEXT_LIMIT);
}

/**
 * The text as an http(s) URL, or null: only such a text becomes a link (a `javascript:` payload stays text), and not
 * one with a user name or password (`https://bank.example@evil.example/` shows one host and opens another).
 */
export function codeLink(text: string): URL | null {
  const trimmed = text.trim();
  if (!/^https?:\/\//iu.test(trimmed) || /\s/u.test(trimmed)) return null;
  try {
    const url = new URL(trimmed);
    if (url.username !== '' || url.password !== '') return null;
    return url.protocol === 'http:' || url.protocol === 'https:' ? url : null;
  } catch {
    return null;
  }
}

/** A host's words people type: `www.shop.example.co.uk` → `shop.example.co.uk shop example` (no www, no suffixes). */
function hostWords(host: string): string[] {
  const bare = host.replace(/^www\d*\./u, '');
  const labels = bare.split('.').filter(Boolean);
  // the public suffix is not a word people search by; two letters or a known generic one is taken as part of it
  const named = labels.filter(
    (label, i) => i < labels.length - 1 && !(i === labels.length - 2 && /^(co|com|org|net|ac|gov|edu)$/u.test(label) && labels.length > 2),
  );
  return [bare, ...named];
}

/**
 * The words search finds a code by, beside its text: a URL's host (whole and by its names) and the words of its path
 * and query (`/summer-festival/tickets?day=2` → `summer festival tickets day 2`). Other texts add nothing: the text
 * itself is searched.
 */
export function codeSearchWords(text: string): string {
  const url = codeLink(text);
  if (!url) return '';
  const rest = decodeSafely(`${url.pathname} ${url.search.slice(1)} ${url.hash.slice(1)}`);
  const words = rest.split(/[^\p{L}\p{N}]+/u).filter(Boolean);
  return [...new Set([...hostWords(url.hostname.toLowerCase()), ...words])].join(' ');
}

function decodeSafely(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
