// Rotate and crop, non-destructively: the upright original's preview, turned by quarter turns, with a crop box
// to drag (corners resize, the inside moves; arrow keys too) at a free or fixed ratio. Saving sends the edit; the
// original never changes, and "Original" takes every edit back.
import '../../styles/editor.css';
import { useEffect, useRef, useState, type Dispatch, type KeyboardEvent, type PointerEvent, type SetStateAction } from 'react';
import { photoUrls } from '../../api.js';
import type { PhotoEdit, PhotoFull } from '../../client/photo.js';
import { dragBox, fitRatio, isWhole, turnBox, WHOLE, type Box, type Handle } from '../../lib/cropGeometry.js';
import { Dialog } from '../Dialog.js';

type Turn = PhotoEdit['rotate'];

const RATIOS: { label: string; value: number | 'original' | null }[] = [
  { label: 'Free', value: null },
  { label: 'Original', value: 'original' },
  { label: 'Square', value: 1 },
  { label: '4:3', value: 4 / 3 },
  { label: '3:2', value: 3 / 2 },
  { label: '16:9', value: 16 / 9 },
];
const HANDLES: Handle[] = ['nw', 'ne', 'sw', 'se'];
const HANDLE_NAMES: Record<Handle, string> = {
  move: 'Crop area',
  nw: 'Top left corner',
  ne: 'Top right corner',
  sw: 'Bottom left corner',
  se: 'Bottom right corner',
};

interface Props {
  photo: PhotoFull;
  open: boolean;
  busy: boolean;
  error: string | null;
  onSave: (edit: PhotoEdit | null) => void;
  onCancel: () => void;
}

export function PhotoEditor({ photo, open, busy, error, onSave, onCancel }: Props) {
  const [turn, setTurn] = useState<Turn>(photo.edit?.rotate ?? 0);
  const [crop, setCrop] = useState<Box>(photo.edit?.crop ?? WHOLE);
  const [ratio, setRatio] = useState<number | 'original' | null>(null);
  const [image, setImage] = useState<Size | null>(null);

  // start again from the photo's edit each time it opens (not when the page polls the photo while it is open)
  const saved = useRef(photo.edit);
  saved.current = photo.edit;
  useEffect(() => {
    if (!open) return;
    setTurn(saved.current?.rotate ?? 0);
    setCrop(saved.current?.crop ?? WHOLE);
    setRatio(null);
  }, [open]);

  const sideways = turn === 90 || turn === 270;
  const turned = image ? (sideways ? { width: image.height, height: image.width } : image) : null;
  const imageRatio = turned ? turned.width / turned.height : 1;
  // "Original": the photo's own proportions, turned with it
  const originalRatio = image ? (sideways ? image.height / image.width : image.width / image.height) : 1;
  const pixelRatio = ratio === 'original' ? originalRatio : ratio;

  const rotate = (turns: 1 | -1) => {
    setTurn((t) => ((((t + turns * 90) % 360) + 360) % 360) as Turn);
    setCrop((box) => turnBox(box, turns));
    setRatio(null);
  };
  const reset = () => {
    setTurn(0);
    setCrop(WHOLE);
    setRatio(null);
  };
  const chooseRatio = (value: number | 'original' | null) => {
    setRatio(value);
    const wanted = value === 'original' ? originalRatio : value;
    if (wanted) setCrop(fitRatio(wanted, imageRatio));
  };

  const edit: PhotoEdit | null = turn === 0 && isWhole(crop) ? null : { rotate: turn, crop: isWhole(crop) ? null : crop };
  return (
    <Dialog
      open={open}
      title="Rotate and crop"
      busy={busy}
      onCancel={onCancel}
      onlyWhileOpen
      backdropCancels={false}
      className="photo-editor"
      testId="photo-editor"
      action={{ label: 'Save', busyLabel: 'Saving…', disabled: !turned, onAction: () => onSave(edit), testId: 'edit-save' }}
    >
      <p className="muted editor-note">The original file never changes; the photo shows the edit, and its faces and search follow it.</p>
      <div className="editor-tools" role="toolbar" aria-label="Rotate and crop">
        <button type="button" className="button" onClick={() => rotate(-1)} data-testid="rotate-left" aria-label="Rotate left">
          ↺ <span className="editor-tool-label">Left</span>
        </button>
        <button type="button" className="button" onClick={() => rotate(1)} data-testid="rotate-right" aria-label="Rotate right">
          ↻ <span className="editor-tool-label">Right</span>
        </button>
        <label className="editor-ratio">
          <span>Crop</span>
          <select
            value={RATIOS.findIndex((r) => r.value === ratio)}
            onChange={(event) => chooseRatio(RATIOS[Number(event.target.value)]!.value)}
            data-testid="crop-ratio"
          >
            {RATIOS.map((r, index) => (
              <option key={r.label} value={index}>
                {r.label}
              </option>
            ))}
          </select>
        </label>
        <button type="button" className="button button-ghost" onClick={reset} disabled={edit === null} data-testid="edit-reset">
          Original
        </button>
      </div>
      <CropStage photo={photo} image={image} turn={turn} crop={crop} setCrop={setCrop} pixelRatio={pixelRatio} onImage={setImage} />
      {error ? (
        <p className="banner banner-error dialog-error" role="alert">
          {error}
        </p>
      ) : null}
    </Dialog>
  );
}

interface Size {
  width: number;
  height: number;
}

interface CropStageProps {
  photo: PhotoFull;
  /** The upright preview's own size, once loaded. */
  image: Size | null;
  turn: Turn;
  crop: Box;
  setCrop: Dispatch<SetStateAction<Box>>;
  /** The fixed ratio the crop keeps (width / height in pixels), or null for a free one. */
  pixelRatio: number | null;
  onImage: (size: Size) => void;
}

/** The turned preview with the crop box on it: corners resize it, the inside moves it, by pointer or arrow keys. */
function CropStage({ photo, image, turn, crop, setCrop, pixelRatio, onImage }: CropStageProps) {
  const stage = useRef<HTMLDivElement>(null);
  const drag = useRef<{ handle: Handle; x: number; y: number; start: Box } | null>(null);
  const sideways = turn === 90 || turn === 270;
  const turned = image ? (sideways ? { width: image.height, height: image.width } : image) : null;
  const imageRatio = turned ? turned.width / turned.height : 1;

  const onPointerDown = (handle: Handle) => (event: PointerEvent<HTMLElement>) => {
    event.preventDefault();
    event.stopPropagation();
    (event.target as HTMLElement).setPointerCapture(event.pointerId);
    drag.current = { handle, x: event.clientX, y: event.clientY, start: crop };
  };
  const onPointerMove = (event: PointerEvent<HTMLElement>) => {
    const current = drag.current;
    const box = stage.current?.getBoundingClientRect();
    if (!current || !box) return;
    setCrop(dragBox(current.start, current.handle, (event.clientX - current.x) / box.width, (event.clientY - current.y) / box.height, pixelRatio, imageRatio));
  };
  const onPointerUp = () => {
    drag.current = null;
  };
  // arrow keys: 1 % a press, 10 % with Shift
  const onKeyDown = (handle: Handle) => (event: KeyboardEvent<HTMLElement>) => {
    const step = event.shiftKey ? 0.1 : 0.01;
    const delta = { ArrowLeft: [-step, 0], ArrowRight: [step, 0], ArrowUp: [0, -step], ArrowDown: [0, step] }[event.key];
    if (!delta) return;
    event.preventDefault();
    event.stopPropagation(); // a corner's key is not the box's too
    setCrop((box) => dragBox(box, handle, delta[0]!, delta[1]!, pixelRatio, imageRatio));
  };

  const percent = (value: number) => `${value * 100}%`;
  // the upright preview, turned: the image is laid out at its own proportions, then turned into the stage
  const imageStyle = turned
    ? sideways
      ? {
          width: `${(100 * turned.height) / turned.width}%`,
          height: `${(100 * turned.width) / turned.height}%`,
          transform: `translate(-50%, -50%) rotate(${turn}deg)`,
        }
      : { width: '100%', height: '100%', transform: `translate(-50%, -50%) rotate(${turn}deg)` }
    : undefined;

  return (
    <div className="editor-frame">
      <div
        className="editor-stage"
        ref={stage}
        data-ready={turned ? true : undefined}
        style={turned ? { aspectRatio: `${turned.width} / ${turned.height}`, width: `min(100%, calc(var(--editor-h) * ${imageRatio}))` } : undefined}
        onPointerMove={onPointerMove}
        onPointerUp={onPointerUp}
        onPointerCancel={onPointerUp}
      >
        <img
          className="editor-image"
          src={photoUrls.uneditedPreview(photo.id)}
          alt={`${photo.filename}, before the edit`}
          style={imageStyle}
          draggable={false}
          onLoad={(event) => onImage({ width: event.currentTarget.naturalWidth, height: event.currentTarget.naturalHeight })}
        />
        {turned ? (
          <div
            className="crop-box"
            style={{ left: percent(crop.x), top: percent(crop.y), width: percent(crop.width), height: percent(crop.height) }}
            onPointerDown={onPointerDown('move')}
            onKeyDown={onKeyDown('move')}
            tabIndex={0}
            role="group"
            aria-label={`${HANDLE_NAMES.move}: arrow keys move it`}
            data-testid="crop-box"
          >
            {HANDLES.map((handle) => (
              <span
                key={handle}
                className={`crop-handle crop-${handle}`}
                onPointerDown={onPointerDown(handle)}
                onKeyDown={onKeyDown(handle)}
                tabIndex={0}
                role="button"
                aria-label={`${HANDLE_NAMES[handle]}: arrow keys resize`}
                data-testid={`crop-${handle}`}
              />
            ))}
          </div>
        ) : null}
      </div>
    </div>
  );
}
