import { codeLink } from '../../../src/model/code-text.js';
import type { PhotoDetail } from '../api.js';

type Code = PhotoDetail['codes'][number];

/**
 * A code's text, as text (React escapes it); an http(s) URL as a link the user may open: in a new tab, without the
 * opener or a referrer. The page never fetches or previews it, and any other scheme (`javascript:`) stays text.
 */
function CodeText({ code }: { code: Code }) {
  const url = codeLink(code.text);
  if (!url) return <span className="code-text">{code.text}</span>;
  return (
    <a className="code-text" href={url.href} target="_blank" rel="noopener noreferrer" referrerPolicy="no-referrer" data-testid="code-link">
      {code.text}
    </a>
  );
}

/** The QR codes and barcodes on the photo (the codes step); nothing when it has none, as most photos do. */
export function CodeList({ codes }: { codes: Code[] }) {
  if (codes.length === 0) return null;
  return (
    <section className="info-section" aria-labelledby="codes-title">
      <h2 id="codes-title">Codes in the photo</h2>
      <ul className="code-list" data-testid="codes">
        {codes.map((code, i) => (
          <li key={i} data-testid="code">
            <span className="sub">{code.format}</span> <CodeText code={code} />
          </li>
        ))}
      </ul>
    </section>
  );
}
