import { photoUrls, type PhotoDetail } from '../api.js';

/** What the AI steps found: caption, people, tags and categories, and the text on the photo. */
export function Analysis({ photo, note }: { photo: PhotoDetail; note: (step: string, fallback: string) => string }) {
  const named = photo.faces.filter((f) => f.personName);
  return (
    <>
      <section className="info-section" aria-labelledby="caption-title">
        <h2 id="caption-title">Description</h2>
        {photo.caption ? (
          <div data-testid="caption">
            <p>{photo.caption.caption}</p>
            {photo.caption.description ? <p className="sub">{photo.caption.description}</p> : null}
            <p className="sub">
              {photo.caption.source === 'fallback' ? 'Composed from the tags' : `By ${photo.caption.model}`}
              {photo.caption.qualityGrade ? ` · quality ${photo.caption.qualityGrade}${photo.caption.qualityReason ? ` (${photo.caption.qualityReason})` : ''}` : ''}
            </p>
          </div>
        ) : (
          <p className="muted">{note('captions', 'No description.')}</p>
        )}
      </section>

      <section className="info-section" aria-labelledby="people-title">
        <h2 id="people-title">People</h2>
        {photo.faces.length > 0 ? (
          <ul className="face-list" data-testid="faces">
            {photo.faces.map((face) => (
              <li key={face.id} className="face-item">
                <img src={photoUrls.face(face.id)} alt={face.personName ?? 'Unnamed face'} width={56} height={56} loading="lazy" />
                <span>{face.personName ?? (face.personId ? 'Unnamed person' : 'Not recognised yet')}</span>
              </li>
            ))}
          </ul>
        ) : (
          <p className="muted">{note('faces', 'No faces found.')}</p>
        )}
        {named.length === 0 && photo.faces.length > 0 ? <p className="sub">Name people through the API: POST /api/faces/{'{id}'}/assign.</p> : null}
      </section>

      <section className="info-section" aria-labelledby="tags-title">
        <h2 id="tags-title">Tags</h2>
        {photo.tags.length > 0 || photo.categories.length > 0 ? (
          <div className="chips" data-testid="tags">
            {photo.categories.map((c) => (
              <span key={`c-${c}`} className="chip chip-category">
                {c}
              </span>
            ))}
            {photo.tags.map((t) => (
              <span key={t.name} className="chip" title={`confidence ${(t.confidence * 100).toFixed(0)}%`}>
                {t.name}
              </span>
            ))}
          </div>
        ) : (
          // Tags come from the CLIP embedding: when it was skipped, its reason (a model to install) is the one to show.
          <p className="muted">{note(photo.steps.embeddings?.status === 'skipped' ? 'embeddings' : 'tags', 'No tags.')}</p>
        )}
      </section>

      <section className="info-section" aria-labelledby="text-title">
        <h2 id="text-title">Text in the photo</h2>
        {photo.ocr ? (
          <pre className="ocr-text" data-testid="ocr-text">
            {photo.ocr.text}
          </pre>
        ) : (
          <p className="muted">{note('ocr', 'No text found.')}</p>
        )}
      </section>
    </>
  );
}
