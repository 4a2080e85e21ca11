// Secrets out of text that leaves the process: step and job errors (shown in the web app), logs. Providers' error
// bodies echo request URLs and headers, and fetch's own errors print the URL whole, so every message built from a
// network failure goes through here: the secrets the caller knows (an API key, a URL's password and key
// parameters) and anything shaped like one (user:password@ in a URL, key=… in a query, a bearer token).
// Every pattern is bounded, so a hostile body is redacted in linear time.

const MASK = '***';

/** Query parameter names that carry credentials (`key`, `api_key`, `access_token`, `X-Amz-Signature`, `sig`…). */
const SECRET_NAME = /key|token|secret|passw|pwd|signature|^sig$|credential|auth|session|^code$/i;

/** `scheme://userinfo@`: the userinfo, at most 256 characters without a separator. */
const USERINFO = /\b([a-z][a-z0-9+.-]{0,20}:\/\/)[^\s/?#@"'<>]{1,256}@/gi;
/** `?name=value` / `&name=value` / `;name=value` with a name up to 64 characters. */
const QUERY_PARAM = /([?&;])([^=&#\s"'<>?;]{1,64})=([^&#\s"'<>]*)/g;
/** A credential header as servers echo it: `Authorization: Bearer …`, `"x-api-key":"…"`. */
const HEADER =
  /\b(proxy-authorization|authorization|x-api-key|api-key|x-goog-api-key)(["']?\s{0,4}[:=]\s{0,4}["']?)(?:(?:bearer|basic|token)\s{1,4})?[^\s"',;}]+/gi;
/** A token after its scheme anywhere in prose. */
const BEARER = /\b(bearer|basic)\s{1,4}[A-Za-z0-9._~+/=-]{8,}/gi;

/**
 * `text` with each of `secrets` (and its URL-encoded and base64 forms) and anything shaped like a credential
 * replaced by `***`. Secrets shorter than 4 characters are not searched for: they would blank ordinary words.
 */
export function redact(text: string, secrets: readonly (string | null | undefined)[] = []): string {
  let out = text;
  const forms = new Set<string>();
  for (const secret of secrets) {
    if (!secret || secret.length < 4) continue;
    forms.add(secret);
    forms.add(encodeURIComponent(secret));
    forms.add(Buffer.from(secret).toString('base64'));
  }
  // longest first, so a secret that holds another is masked whole
  for (const form of [...forms].sort((a, b) => b.length - a.length)) out = out.split(form).join(MASK);
  return out
    .replace(USERINFO, `$1${MASK}@`)
    .replace(QUERY_PARAM, (whole, sep: string, name: string, value: string) =>
      value && value !== MASK && SECRET_NAME.test(name) ? `${sep}${name}=${MASK}` : whole,
    )
    .replace(HEADER, `$1$2${MASK}`)
    .replace(BEARER, `$1 ${MASK}`);
}

/**
 * The secrets a configured URL holds: its user name and password (each, and together as `user:password`, the
 * form Basic auth encodes) and the values of its credential-named query parameters.
 */
export function urlSecrets(href: string): string[] {
  let url: URL;
  try {
    url = new URL(href);
  } catch {
    return [];
  }
  const secrets: string[] = [];
  const user = decodeURIComponent(url.username);
  const password = decodeURIComponent(url.password);
  if (password) secrets.push(password, `${user}:${password}`);
  if (user) secrets.push(user);
  for (const [name, value] of url.searchParams) if (value && SECRET_NAME.test(name)) secrets.push(value);
  return secrets;
}

/**
 * A URL's credentials taken out of it: fetch refuses a URL with `user:password@` (and prints the URL whole when it
 * does), so they travel as a Basic authorization header instead, as a browser sends them.
 */
export function splitCredentials(href: string): { url: string; basic: string | null } {
  const url = new URL(href);
  if (!url.username && !url.password) return { url: url.href, basic: null };
  const pair = `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`;
  url.username = '';
  url.password = '';
  return { url: url.href, basic: `Basic ${Buffer.from(pair).toString('base64')}` };
}
