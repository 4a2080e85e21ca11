import { useRef, type ChangeEvent } from 'react';
import { formatBytes } from '../lib/format.js';
import { uploads, useUploads } from '../store/uploads.js';

/** What the file picker offers: images, plus RAW, HEIC and XMP sidecars, whose types browsers often do not know. */
export const ACCEPT = 'image/*,.heic,.heif,.avif,.dng,.cr2,.cr3,.nef,.arw,.raf,.orf,.rw2,.pef,.srw,.xmp';

export function UploadButton() {
  const input = useRef<HTMLInputElement>(null);
  const state = useUploads();
  const onChange = (event: ChangeEvent<HTMLInputElement>) => {
    const files = Array.from(event.target.files ?? []);
    event.target.value = ''; // choosing the same files again must fire change again
    void uploads.upload(files);
  };
  const pct = state.bytes > 0 ? Math.round((state.bytesSent / state.bytes) * 100) : 0;
  return (
    <div className="upload">
      <input
        ref={input}
        id="upload-input"
        className="visually-hidden"
        type="file"
        multiple
        accept={ACCEPT}
        onChange={onChange}
        data-testid="upload-input"
        tabIndex={-1}
        aria-hidden="true"
      />
      <button type="button" className="button button-primary" onClick={() => input.current?.click()} disabled={state.active}>
        <svg viewBox="0 0 24 24" className="icon" aria-hidden="true" focusable="false">
          <path d="M12 3v12m0-12-4.5 4.5M12 3l4.5 4.5M4 15v3.5A2.5 2.5 0 0 0 6.5 21h11a2.5 2.5 0 0 0 2.5-2.5V15" />
        </svg>
        {state.active ? 'Uploading…' : 'Upload'}
      </button>
      {state.active ? (
        <div className="upload-progress" role="status" aria-live="polite">
          <progress max={100} value={pct} aria-label="Upload progress" />
          <span className="upload-progress-text">
            {state.filesSent} of {state.files} files ·{' '}
            {state.bytesSent >= state.bytes ? 'saving…' : `${formatBytes(state.bytesSent)} of ${formatBytes(state.bytes)}`}
          </span>
        </div>
      ) : null}
    </div>
  );
}
