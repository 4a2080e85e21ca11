// Search by image: a photo from the user's computer, picked or dropped on the search page. The file stays in
// memory under a short token that the URL carries (/search?image=<token>), so that Back and Forward show the
// same search again; after a reload the file is gone and the page asks for it again.
import { useRef, useState, type DragEvent } from 'react';

const images = new Map<string, File>();
/** Files kept for Back/Forward: the last few searched with. */
const KEEP = 8;

export function rememberImage(file: File): string {
  const token = Math.random().toString(36).slice(2, 10);
  images.set(token, file);
  for (const key of images.keys()) {
    if (images.size <= KEEP) break;
    images.delete(key);
  }
  return token;
}

export function rememberedImage(token: string): File | undefined {
  return images.get(token);
}

const hasFiles = (event: DragEvent) => Array.from(event.dataTransfer.types).includes('Files');

/**
 * Makes an element a drop target for an image. The events stop here, so the app's "drop anywhere to upload"
 * does not also take the file.
 */
export function useImageDrop(onImage: (file: File, others: number) => void) {
  const [over, setOver] = useState(false);
  const depth = useRef(0);
  const handlers = {
    onDragEnter: (event: DragEvent) => {
      if (!hasFiles(event)) return;
      event.preventDefault();
      event.stopPropagation();
      depth.current++;
      setOver(true);
    },
    onDragOver: (event: DragEvent) => {
      if (!hasFiles(event)) return;
      event.preventDefault();
      event.stopPropagation();
      event.dataTransfer.dropEffect = 'copy';
    },
    onDragLeave: (event: DragEvent) => {
      if (!hasFiles(event)) return;
      event.stopPropagation();
      depth.current = Math.max(0, depth.current - 1);
      if (depth.current === 0) setOver(false);
    },
    onDrop: (event: DragEvent) => {
      if (!hasFiles(event)) return;
      event.preventDefault();
      event.stopPropagation();
      depth.current = 0;
      setOver(false);
      const files = Array.from(event.dataTransfer.files);
      const image = files.find((file) => file.type.startsWith('image/')) ?? files[0];
      if (image) onImage(image, files.length - 1);
    },
  };
  return { over, handlers };
}

/** "Search by image": a button that opens the file picker. */
export function ImagePickerButton({
  onImage,
  label = 'Search by image',
  testId = 'search-image-input',
}: {
  onImage: (file: File) => void;
  label?: string;
  testId?: string;
}) {
  const input = useRef<HTMLInputElement>(null);
  return (
    <>
      <button type="button" className="button" onClick={() => input.current?.click()}>
        <svg viewBox="0 0 24 24" className="icon" aria-hidden="true" focusable="false">
          <rect x="3" y="4.5" width="18" height="15" rx="2" />
          <circle cx="8.5" cy="9.5" r="1.5" />
          <path d="m4 18 5-5 4 4 3-3 4 4" />
        </svg>
        {label}
      </button>
      <input
        ref={input}
        type="file"
        accept="image/*,.heic,.heif,.avif,.dng,.cr2,.nef,.arw"
        className="visually-hidden"
        tabIndex={-1}
        aria-hidden="true"
        data-testid={testId}
        onChange={(event) => {
          const file = event.target.files?.[0];
          event.target.value = '';
          if (file) onImage(file);
        }}
      />
    </>
  );
}
