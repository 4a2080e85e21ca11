import { useEffect } from 'react';
import { photoUrls } from '../api.js';
import { Link } from '../lib/router.js';
import { uploads, useUploads } from '../store/uploads.js';

const SHOW_NAMES = 6;

/** The server's messages often start with the file's name, which the list shows already. */
const withoutName = (message: string, filename: string) =>
  message.startsWith(`${filename}: `) ? message.slice(filename.length + 2) : message;

/** What the last upload did: photos added, duplicates, files refused and why. */
export function UploadNotice() {
  const { summary } = useUploads();
  // Good news goes away by itself; problems stay until dismissed.
  useEffect(() => {
    if (!summary || summary.refused.length > 0 || summary.failures.length > 0) return;
    const timer = setTimeout(() => uploads.dismiss(), 10_000);
    return () => clearTimeout(timer);
  }, [summary]);
  if (!summary) return null;
  const { added, duplicates, refused, failures } = summary;
  const problems = refused.length > 0 || failures.length > 0;
  return (
    <section className={`notice ${problems ? 'notice-warning' : 'notice-success'}`} aria-label="Upload result" data-testid="upload-notice">
      <div className="notice-body" role={problems ? 'alert' : 'status'}>
        {added.length > 0 ? (
          <p>
            <strong>
              Added {added.length} {added.length === 1 ? 'photo' : 'photos'}.
            </strong>{' '}
            {added.length <= SHOW_NAMES ? (
              <span className="muted">
                {added.map((photo, i) => (
                  <span key={photo.id}>
                    {i > 0 ? ', ' : null}
                    <Link to={photoUrls.page(photo.id)}>{photo.filename}</Link>
                  </span>
                ))}
              </span>
            ) : (
              <span className="muted">Thumbnails appear as they are processed, in the order the photos were taken.</span>
            )}
          </p>
        ) : null}
        {duplicates.length > 0 ? (
          <p>
            {duplicates.length} already in the library:{' '}
            {duplicates.slice(0, SHOW_NAMES).map((photo, i) => (
              <span key={photo.id}>
                {i > 0 ? ', ' : null}
                <Link to={photoUrls.page(photo.id)}>{photo.filename}</Link>
              </span>
            ))}
            {duplicates.length > SHOW_NAMES ? ` and ${duplicates.length - SHOW_NAMES} more` : null}
          </p>
        ) : null}
        {refused.length > 0 ? (
          <div>
            <p>
              <strong>
                {refused.length} {refused.length === 1 ? 'file was' : 'files were'} refused:
              </strong>
            </p>
            <ul className="refused-list" data-testid="upload-refused">
              {refused.map((item, i) => (
                <li key={`${item.filename}-${i}`}>
                  <span className="filename">{item.filename}</span>: {withoutName(item.error, item.filename)}
                </li>
              ))}
            </ul>
          </div>
        ) : null}
        {failures.map((failure, i) => (
          <p key={i}>
            <strong>Upload failed:</strong> {failure}
          </p>
        ))}
        {added.length + duplicates.length + refused.length + failures.length === 0 ? <p>Nothing was uploaded.</p> : null}
      </div>
      <button type="button" className="button button-ghost notice-close" onClick={() => uploads.dismiss()} aria-label="Dismiss upload result">
        ×
      </button>
    </section>
  );
}
