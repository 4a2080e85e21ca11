import { useState, type CSSProperties } from 'react';
import { isTerminal, photoUrls, type PhotoDetail } from '../api.js';

/**
 * The large picture. Its box has the photo's proportions from the start, so nothing moves when it arrives; the
 * thumbnail (usually cached from the gallery) fills it blurred until the preview has loaded.
 */
export function PreviewImage({ photo }: { photo: PhotoDetail }) {
  const prep = photo.steps.preprocessing?.status ?? 'pending';
  // Ask again when preprocessing moves on (a 404 while it was running is not the last word).
  const version = `${prep}-${photo.steps.preprocessing?.attempts ?? 0}`;
  const [failedAt, setFailedAt] = useState<string | null>(null);
  const [loaded, setLoaded] = useState<string | null>(null);
  const ratio = photo.width && photo.height ? photo.width / photo.height : 3 / 2;
  const available = prep === 'done' && failedAt !== version;
  const query = failedAt ? `?v=${encodeURIComponent(version)}` : '';
  // Never wider than the picture itself: a small photo is shown at its size, not blown up into a blur.
  const style = { '--ratio': ratio, ...(photo.width ? { '--natural-w': `${photo.width}px` } : {}) } as CSSProperties;

  return (
    <figure className="preview" style={style}>
      <div className={`preview-frame${loaded === version ? ' preview-loaded' : ''}`}>
        {available ? (
          <>
            <img className="preview-lowres" src={photoUrls.thumbnail(photo.id) + query} alt="" aria-hidden="true" />
            <a href={photoUrls.original(photo.id)} target="_blank" rel="noopener" className="preview-link" title="Open the original (new tab)">
              <img
                className="preview-img"
                src={photoUrls.preview(photo.id) + query}
                alt={photo.filename}
                data-testid="preview"
                onLoad={() => setLoaded(version)}
                onError={() => setFailedAt(version)}
              />
            </a>
          </>
        ) : (
          <div className={`preview-placeholder preview-placeholder-${photo.state}`}>
            {!isTerminal(photo.state) ? <span className="spinner spinner-large" aria-hidden="true" /> : null}
            <p>
              {prep === 'failed'
                ? 'This file could not be decoded, so there is no preview.'
                : !isTerminal(photo.state)
                  ? 'Making the preview…'
                  : 'The preview is not available.'}
            </p>
            <p>
              <a href={photoUrls.original(photo.id)} target="_blank" rel="noopener">
                Open the original file
              </a>
            </p>
          </div>
        )}
      </div>
    </figure>
  );
}
