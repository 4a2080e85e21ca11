import type { PhotoDetail } from '../api.js';
import { Link } from '../lib/router.js';
import { CodeList } from './CodeList.js';

const searchFor = (params: Record<string, string>) => `/search?${new URLSearchParams(params)}`;

/** What the AI steps found: caption, tags (CLIP's and the detected objects') and categories (each a search), the text on the photo and its codes. */
export function Analysis({ photo, note }: { photo: PhotoDetail; note: (step: string, fallback: string) => string }) {
  return (
    <>
      <section className="info-section" aria-labelledby="caption-title">
        <h2 id="caption-title">Description</h2>
        {photo.caption ? (
          <div data-testid="caption">
            <p>{photo.caption.caption}</p>
            {photo.caption.description && photo.caption.description !== photo.caption.caption ? <p className="sub">{photo.caption.description}</p> : null}
            <p className="sub">
              {photo.caption.source === 'fallback' ? 'Composed from the tags' : `By ${photo.caption.model}`}
              {photo.caption.qualityGrade
                ? ` · quality ${photo.caption.qualityGrade}${photo.caption.qualityReason ? ` (${photo.caption.qualityReason})` : ''}`
                : ''}
            </p>
          </div>
        ) : (
          <p className="muted">{note('captions', 'No description.')}</p>
        )}
      </section>

      <section className="info-section" aria-labelledby="tags-title">
        <h2 id="tags-title">Tags</h2>
        {/* the detector's objects are tags without CLIP: why CLIP's are missing is still said, above them */}
        {photo.tags.length > 0 && photo.steps.embeddings?.status === 'skipped' ? <p className="muted">{note('embeddings', '')}</p> : null}
        {photo.tags.length > 0 || photo.categories.length > 0 ? (
          <ul className="chips" data-testid="tags" aria-label="Categories and tags">
            {photo.categories.map((c) => (
              <li key={`c-${c}`}>
                <Link to={searchFor({ categories: c })} className="chip chip-link chip-category" title={`Category: photos in “${c}”`} data-testid="category">
                  {c}
                </Link>
              </li>
            ))}
            {photo.tags.map((t) => (
              <li key={t.name}>
                <Link
                  to={searchFor({ q: t.name })}
                  className="chip chip-link"
                  title={`Tag (${t.sources.join(' and ')}), confidence ${(t.confidence * 100).toFixed(0)}%: search for “${t.name}”`}
                  data-testid="tag"
                >
                  {t.name}
                </Link>
              </li>
            ))}
          </ul>
        ) : (
          // Tags come from the CLIP embedding: when it was skipped, its reason (a model to install) is the one to show.
          <p className="muted">{note(photo.steps.embeddings?.status === 'skipped' ? 'embeddings' : 'tags', 'No tags.')}</p>
        )}
      </section>

      <section className="info-section" aria-labelledby="text-title">
        <h2 id="text-title">Text in the photo</h2>
        {photo.ocr ? (
          <>
            <pre className="ocr-text" data-testid="ocr-text">
              {photo.ocr.text}
            </pre>
            <p className="sub">
              {[
                photo.ocr.languages.length > 0 ? `Read as ${photo.ocr.languages.join(', ')}` : null,
                photo.ocr.confidence !== null ? `confidence ${Math.round(photo.ocr.confidence)}%` : null,
              ]
                .filter(Boolean)
                .join(' · ')}
            </p>
          </>
        ) : (
          <p className="muted">{note('ocr', 'No text found.')}</p>
        )}
      </section>

      <CodeList codes={photo.codes} />
    </>
  );
}
