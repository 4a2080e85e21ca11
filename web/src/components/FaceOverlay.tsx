import type { CSSProperties } from 'react';
import type { FaceInfo } from '../api.js';

/** What a face is called on the photo and in the list. */
export function faceLabel(face: FaceInfo): string {
  if (face.personName) return face.personName;
  return face.personId ? 'Unnamed person' : 'Unknown';
}

interface Props {
  faces: readonly FaceInfo[];
  /** The picture's upright size in pixels: the boxes are in those coordinates. */
  width: number;
  height: number;
  onSelect: (face: FaceInfo) => void;
  /** The face whose editor is open, drawn highlighted. */
  selectedId?: string | null;
}

/**
 * The faces found on the photo, drawn as boxes over it with their names. Laid out in percentages of the picture,
 * so they sit on the faces at any displayed size and zoom. Each box is a button that opens the naming dialog.
 */
export function FaceOverlay({ faces, width, height, onSelect, selectedId }: Props) {
  if (faces.length === 0 || width <= 0 || height <= 0) return null;
  return (
    <ul className="face-overlay" aria-label="Faces on the photo" data-testid="face-overlay">
      {faces.map((face) => {
        const style = {
          left: `${(face.box.x / width) * 100}%`,
          top: `${(face.box.y / height) * 100}%`,
          width: `${(face.box.width / width) * 100}%`,
          height: `${(face.box.height / height) * 100}%`,
        } as CSSProperties;
        const label = faceLabel(face);
        const named = Boolean(face.personName);
        // A face at the bottom edge gets its name inside the box, where the frame does not cut it off.
        const atBottom = (face.box.y + face.box.height) / height > 0.88;
        return (
          <li key={face.id} className={`face-box-item${atBottom ? ' face-box-bottom' : ''}`} style={style}>
            <button
              type="button"
              className={`face-box${named ? ' face-box-named' : ''}${selectedId === face.id ? ' face-box-selected' : ''}`}
              onClick={() => onSelect(face)}
              aria-label={named ? `${label}: change who this is` : `${label} face: name this person`}
              title={named ? `${label} — click to change` : 'Who is this? Click to name'}
              data-testid="face-box"
              data-face-id={face.id}
            >
              <span className="face-box-label" data-testid="face-box-label">
                {named ? label : 'Who is this?'}
              </span>
            </button>
          </li>
        );
      })}
    </ul>
  );
}
