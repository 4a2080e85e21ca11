import { useRef, type ChangeEvent } from 'react';
import { uploads, useUploads } from '../store/uploads.js';
import '../styles/upload.css';

/** What the file picker offers: images, plus RAW, HEIC and XMP sidecars, whose types browsers often do not know. */
export const ACCEPT = 'image/*,.heic,.heif,.avif,.jxl,.dng,.cr2,.cr3,.nef,.arw,.raf,.orf,.rw2,.pef,.srw,.xmp';

/** The header's Upload button: a file picker (folders can be dropped anywhere). Progress is in the upload panel. */
export function UploadButton() {
  const input = useRef<HTMLInputElement>(null);
  const { active, files, filesDone } = useUploads();
  const onChange = (event: ChangeEvent<HTMLInputElement>) => {
    const chosen = Array.from(event.target.files ?? []);
    event.target.value = ''; // choosing the same files again must fire change again
    uploads.upload(chosen);
  };
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
      <button
        type="button"
        className="button button-primary"
        onClick={() => input.current?.click()}
        title="Add photos (or drop files and folders anywhere on the page)"
        aria-describedby={active ? 'upload-button-status' : undefined}
      >
        <svg viewBox="0 0 24 24" className="icon" aria-hidden="true" focusable="false">
          <path d="M12 3v12m0-12-4.5 4.5M12 3l4.5 4.5M4 15v3.5A2.5 2.5 0 0 0 6.5 21h11a2.5 2.5 0 0 0 2.5-2.5V15" />
        </svg>
        <span className="upload-button-label">Upload</span>
        {active ? (
          <span id="upload-button-status" className="upload-button-count">
            {filesDone}/{files}
          </span>
        ) : null}
      </button>
    </div>
  );
}
