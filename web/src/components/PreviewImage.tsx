import { useEffect, useState, type CSSProperties, type ReactNode } from 'react';
import { isTerminal, photoUrls, type FaceInfo, type PhotoDetail } from '../api.js';
import { FaceOverlay } from './FaceOverlay.js';
import { ObjectOverlay } from './ObjectOverlay.js';
import { TextOverlay } from './TextOverlay.js';
import { ZoomableImage } from './ZoomableImage.js';

/** Formats every browser shows: for these the original can stand in for the preview when zoomed past it. */
const BROWSER_FORMATS = new Set(['image/jpeg', 'image/png', 'image/webp', 'image/gif', 'image/avif', 'image/bmp']);

interface Props {
  photo: PhotoDetail;
  /** Opens the naming dialog for a face; without it no boxes are drawn. */
  onSelectFace?: (face: FaceInfo) => void;
  selectedFaceId?: string | null;
  /** Drawn over the picture (a motion photo's video while it plays), and its button beside the others. */
  overlay?: ReactNode;
  tool?: ReactNode;
}

/**
 * The large picture, fitted, with zoom and pan. Its box has the photo's proportions from the start, so nothing
 * moves when it arrives; the thumbnail (usually cached from the gallery) fills it blurred until the preview has
 * loaded. Zoomed past the preview's own pixels, the original is loaded over it (when the browser can show it).
 */
export function PreviewImage({ photo, onSelectFace, selectedFaceId, overlay, tool }: Props) {
  const prep = photo.steps.preprocessing?.status ?? 'pending';
  // Ask again when preprocessing moves on (a 404 while it was running is not the last word).
  const version = `${prep}-${photo.steps.preprocessing?.attempts ?? 0}`;
  const [failedAt, setFailedAt] = useState<string | null>(null);
  const [loaded, setLoaded] = useState<string | null>(null);
  const [previewWidth, setPreviewWidth] = useState(0);
  const [showFaces, setShowFaces] = useState(true);
  const [showText, setShowText] = useState(false);
  const [showObjects, setShowObjects] = useState(false);
  const ratio = photo.width && photo.height ? photo.width / photo.height : 3 / 2;
  // Shown from the moment it exists, and while any step (preprocessing too) is redone.
  const available = (photo.hasThumbnail || prep === 'done') && failedAt !== version;
  const again = (url: string) => (failedAt ? `${url}${url.includes('?') ? '&' : '?'}attempt=${encodeURIComponent(version)}` : url);
  // Never wider than the picture itself: a small photo is shown at its size, not blown up into a blur.
  const style = { '--ratio': ratio, ...(photo.width ? { '--natural-w': `${photo.width}px` } : {}) } as CSSProperties;
  // an edited photo's original is not what it shows: zoom stays on the edited preview
  const originalUsable = BROWSER_FORMATS.has(photo.mime) && !photo.edit && (photo.width ?? 0) > previewWidth;
  const faces = onSelectFace && photo.width && photo.height ? photo.faces : [];
  const words = photo.width && photo.height ? (photo.ocr?.words ?? []) : [];
  const objects = photo.width && photo.height ? (photo.objects ?? []) : [];

  if (!available) {
    return (
      <figure className="preview" style={style}>
        <div className="preview-frame">
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
        </div>
      </figure>
    );
  }

  return (
    <ZoomableImage
      naturalWidth={photo.width}
      figureClassName="preview"
      figureStyle={style}
      className={`preview-frame${loaded === version ? ' preview-loaded' : ''}`}
      tools={
        faces.length > 0 || words.length > 0 || objects.length > 0 || tool ? (
          <>
            {tool}
            {words.length > 0 ? (
              <button
                type="button"
                className="button button-ghost button-small"
                aria-pressed={showText}
                onClick={() => setShowText((shown) => !shown)}
                title="Show the text read on the photo, to select and copy it"
                data-testid="toggle-text"
              >
                Text
              </button>
            ) : null}
            {objects.length > 0 ? (
              <button
                type="button"
                className="button button-ghost button-small"
                aria-pressed={showObjects}
                onClick={() => setShowObjects((shown) => !shown)}
                title="Show or hide the objects found on the photo"
                data-testid="toggle-objects"
              >
                Objects
              </button>
            ) : null}
            {faces.length > 0 ? (
              <button
                type="button"
                className="button button-ghost button-small"
                aria-pressed={showFaces}
                onClick={() => setShowFaces((shown) => !shown)}
                title="Show or hide the face boxes"
                data-testid="toggle-faces"
              >
                Faces
              </button>
            ) : null}
          </>
        ) : null
      }
    >
      {({ scale, frameWidth }) => (
        <>
          <img className="preview-lowres" src={again(photoUrls.thumbnail(photo.id))} alt="" aria-hidden="true" draggable={false} />
          <img
            className="preview-img"
            src={again(photoUrls.preview(photo.id))}
            alt={photo.filename}
            data-testid="preview"
            draggable={false}
            onLoad={(event) => {
              setLoaded(version);
              setPreviewWidth(event.currentTarget.naturalWidth);
            }}
            onError={() => setFailedAt(version)}
          />
          {originalUsable && previewWidth > 0 ? (
            <OriginalLayer id={photo.id} neededWidth={scale * frameWidth * (window.devicePixelRatio || 1)} previewWidth={previewWidth} />
          ) : null}
          {showText && words.length > 0 ? <TextOverlay words={words} width={photo.width!} height={photo.height!} /> : null}
          {showFaces && !showText && faces.length > 0 && onSelectFace ? (
            <FaceOverlay faces={faces} width={photo.width!} height={photo.height!} onSelect={onSelectFace} selectedId={selectedFaceId} />
          ) : null}
          {showObjects && !showText && objects.length > 0 ? <ObjectOverlay objects={objects} width={photo.width!} height={photo.height!} /> : null}
          {overlay}
        </>
      )}
    </ZoomableImage>
  );
}

/**
 * The original over the preview, fetched the first time the picture is shown wider than the preview's own
 * pixels, and kept from then on (zooming out and in again does not fetch it again).
 */
function OriginalLayer({ id, neededWidth, previewWidth }: { id: string; neededWidth: number; previewWidth: number }) {
  const needed = neededWidth > previewWidth * 1.15;
  const [wanted, setWanted] = useState(false);
  const [loaded, setLoaded] = useState(false);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    if (needed) setWanted(true);
  }, [needed]);
  if (!wanted || failed) return null;
  return (
    <img
      className={`preview-original${loaded ? ' preview-original-loaded' : ''}`}
      src={photoUrls.original(id)}
      alt=""
      aria-hidden="true"
      draggable={false}
      decoding="async"
      data-testid="preview-original"
      onLoad={() => setLoaded(true)}
      onError={() => setFailed(true)}
    />
  );
}
