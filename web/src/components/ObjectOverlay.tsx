import type { CSSProperties } from 'react';
import type { PhotoDetail } from '../api.js';
import { objectLabel, objectsToDraw } from './objectLabels.js';

interface Props {
  objects: PhotoDetail['objects'];
  /** The picture's upright size in pixels: the boxes are in those coordinates. */
  width: number;
  height: number;
}

/**
 * The objects the detector found, drawn as labelled boxes over the photo (as the faces are), in percentages of the
 * picture so that they stay on their objects at any size and zoom. Only shown: nothing to edit. The boxes let the
 * pointer through to the photo, so each label says its confidence in its text (a `title` would never show); at most
 * the 20 surest are drawn.
 */
export function ObjectOverlay({ objects, width, height }: Props) {
  if (objects.length === 0 || width <= 0 || height <= 0) return null;
  return (
    <ul className="face-overlay object-overlay" aria-label="Objects on the photo" data-testid="object-overlay">
      {objectsToDraw(objects).map((object, index) => {
        const style = {
          left: `${(object.box.x / width) * 100}%`,
          top: `${(object.box.y / height) * 100}%`,
          width: `${(object.box.width / width) * 100}%`,
          height: `${(object.box.height / height) * 100}%`,
        } as CSSProperties;
        // a box at the bottom edge gets its label inside, where the frame does not cut it off
        const atBottom = (object.box.y + object.box.height) / height > 0.88;
        return (
          <li key={index} className={`face-box-item${atBottom ? ' face-box-bottom' : ''}`} style={style} data-testid="object-box">
            <span className="face-box object-box">
              <span className="face-box-label">{objectLabel(object)}</span>
            </span>
          </li>
        );
      })}
    </ul>
  );
}
