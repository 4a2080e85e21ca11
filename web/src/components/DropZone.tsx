import { useEffect, useState } from 'react';
import { uploads, type FileToUpload } from '../store/uploads.js';
import { droppedFiles } from './droppedFiles.js';
import '../styles/upload.css';

const hasFiles = (event: DragEvent) => !!event.dataTransfer && Array.from(event.dataTransfer.types).includes('Files');

/** A page that takes what is dropped on it itself (the Import page: an export's archives), and what the overlay says. */
interface DropClaim {
  take: (files: FileToUpload[]) => void;
  label: string;
}
let claim: DropClaim | null = null;

/** Drops go to `take` instead of Upload until the returned function is called (a page's effect clean-up). */
export function claimDrops(take: DropClaim['take'], label: string): () => void {
  const mine = { take, label };
  claim = mine;
  return () => {
    if (claim === mine) claim = null;
  };
}

/** Files and folders dropped anywhere on the page are uploaded; an overlay says so while dragging. */
export function DropZone() {
  const [over, setOver] = useState(false);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let depth = 0;
    const enter = (event: DragEvent) => {
      if (!hasFiles(event)) return;
      event.preventDefault();
      depth++;
      setOver(true);
    };
    const overHandler = (event: DragEvent) => {
      if (!hasFiles(event)) return;
      event.preventDefault();
      if (event.dataTransfer) event.dataTransfer.dropEffect = 'copy';
    };
    const leave = (event: DragEvent) => {
      if (!hasFiles(event)) return;
      depth = Math.max(0, depth - 1);
      if (depth === 0) setOver(false);
    };
    const drop = (event: DragEvent) => {
      if (!event.dataTransfer || !hasFiles(event)) return;
      // A drop handled by something on the page (search by image) is theirs.
      if (event.defaultPrevented) {
        depth = 0;
        setOver(false);
        return;
      }
      event.preventDefault();
      depth = 0;
      setOver(false);
      droppedFiles(event.dataTransfer).then(
        (files) => {
          if (files.length === 0) setError('Nothing to upload: the folder is empty.');
          else if (claim) claim.take(files);
          else uploads.upload(files);
        },
        (e: unknown) => setError(`The dropped folder could not be read: ${e instanceof Error ? e.message : String(e)}`),
      );
    };
    window.addEventListener('dragenter', enter);
    window.addEventListener('dragover', overHandler);
    window.addEventListener('dragleave', leave);
    window.addEventListener('drop', drop);
    return () => {
      window.removeEventListener('dragenter', enter);
      window.removeEventListener('dragover', overHandler);
      window.removeEventListener('dragleave', leave);
      window.removeEventListener('drop', drop);
    };
  }, []);
  useEffect(() => {
    if (!error) return;
    const timer = setTimeout(() => setError(null), 8000);
    return () => clearTimeout(timer);
  }, [error]);
  return (
    <>
      {over ? (
        <div className="drop-overlay" aria-hidden="true">
          <div className="drop-overlay-box">{claim?.label ?? 'Drop photos or folders to add them to your Shoebox'}</div>
        </div>
      ) : null}
      {error ? (
        <p className="drop-error" role="alert">
          {error}
        </p>
      ) : null}
    </>
  );
}
