// Where an export's archives are given to the Import page: a drop area (the whole page takes the drop while it is
// shown, through DropZone's claim) with a button that opens the file chooser, and the archives dropped on Upload
// before, offered here (until imported) so that they need not be chosen again.
import { useEffect, useRef, useState, type RefObject } from 'react';
import { formatBytes } from '../../lib/format.js';
import { isArchive, uploads } from '../../store/uploads.js';
import { claimDrops } from '../DropZone.js';

interface Props {
  disabled: boolean;
  /** The file input, which a card's "Continue the upload" opens. */
  input: RefObject<HTMLInputElement | null>;
  onFiles: (files: File[]) => void;
  onRefused: (message: string) => void;
}

/** Of what was chosen or dropped, the zips; the rest named in a message (photos go in with Upload). */
function zipsOf(files: File[], onRefused: Props['onRefused']): File[] {
  const others = files.filter((file) => !isArchive(file));
  if (others.length > 0)
    onRefused(
      `Only an export's .zip files are imported here: ${others.map((f) => f.name).join(', ')} ${others.length === 1 ? 'is' : 'are'} not one (photos and videos go in with Upload).`,
    );
  return files.filter(isArchive);
}

export function ImportPicker({ disabled, input, onFiles, onRefused }: Props) {
  const take = useRef({ onFiles, onRefused, disabled });
  take.current = { onFiles, onRefused, disabled };
  // the archives dropped on Upload: offered until imported, and taken from the store only then; "Not now" hides the
  // offer here and keeps them, offered again on the next visit (before, it dropped them: they had to be chosen again)
  const [offered, setOffered] = useState<File[]>(() => uploads.waitingArchives());
  // an offered archive chosen again here goes with this import: not offered once more (the store and a state setter
  // only, so the drop handler set once may call it)
  const forget = (chosen: File[]) => {
    uploads.forgetArchives(chosen);
    const waiting = uploads.waitingArchives();
    setOffered((now) => now.filter((file) => waiting.includes(file)));
  };
  const importOffered = () => {
    const taken = uploads.takeArchives();
    if (taken.length > 0) onFiles(taken);
    setOffered([]);
  };

  useEffect(
    () =>
      claimDrops((dropped) => {
        const { onFiles: give, onRefused: refuse, disabled: busy } = take.current;
        if (busy) return refuse('An upload is under way: drop the files again once it is done.');
        const zips = zipsOf(
          dropped.map((item) => item.file),
          refuse,
        );
        forget(zips);
        if (zips.length > 0) give(zips);
      }, "Drop the export's .zip files to import them"),
    [],
  );

  return (
    <div className="import-picker" data-testid="import-picker">
      {offered.length > 0 ? (
        <div className="import-offer" role="status" data-testid="import-offer">
          <p>
            <strong>From Upload:</strong> {offered.map((file) => `${file.name} (${formatBytes(file.size)})`).join(', ')}
          </p>
          <p className="import-actions">
            <button type="button" className="button button-primary" disabled={disabled} onClick={importOffered} data-testid="import-offered">
              Import {offered.length === 1 ? 'it' : 'them'}
            </button>
            <button type="button" className="button" onClick={() => setOffered([])} data-testid="import-not-now">
              Not now
            </button>
          </p>
        </div>
      ) : null}
      <div className="import-drop">
        <svg viewBox="0 0 24 24" className="import-drop-icon" aria-hidden="true" focusable="false">
          <path d="M12 3v12m0 0-4-4m4 4 4-4M4 17v2a2 2 0 0 0 2 2h12a2 2 0 0 0 2-2v-2" />
        </svg>
        <p>
          <strong>Drop the .zip files on this page</strong>
        </p>
        <label className={`button button-primary${disabled ? ' button-disabled' : ''}`}>
          Choose files…
          <input
            ref={input}
            type="file"
            multiple
            accept=".zip,application/zip"
            className="visually-hidden"
            disabled={disabled}
            onChange={(event) => {
              const files = zipsOf([...(event.target.files ?? [])], onRefused);
              event.target.value = '';
              forget(files);
              if (files.length > 0) onFiles(files);
            }}
            data-testid="import-files"
          />
        </label>
      </div>
    </div>
  );
}
