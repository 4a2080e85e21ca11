// A motion photo on its page: the still, and its short video played over it — on hover with a mouse, while a finger
// rests on it (as an iPhone plays a Live Photo), with the Motion button anywhere — muted, once, then the still again,
// as phones show them.
import { useState } from 'react';
import { useLongPress } from '../../hooks/useLongPress.js';
import type { FaceInfo, PhotoDetail } from '../../api.js';
import { PreviewImage } from '../PreviewImage.js';
import { SilentClip } from '../SilentClip.js';

interface Props {
  photo: PhotoDetail;
  onSelectFace: (face: FaceInfo) => void;
  selectedFaceId: string | null;
}

export function MotionPhoto({ photo, onSelectFace, selectedFaceId }: Props) {
  const [playing, setPlaying] = useState(false);
  const hover = (on: boolean) => (event: React.PointerEvent) => {
    if (event.pointerType === 'mouse') setPlaying(on);
  };
  const { consumeClick, ...press } = useLongPress(
    () => setPlaying(true),
    () => setPlaying(false),
  );
  return (
    <div
      className="motion-stage"
      {...press}
      onPointerEnter={hover(true)}
      onPointerLeave={hover(false)}
      onClickCapture={(event) => {
        // the click that ends a press is not a click on a face
        if (!consumeClick()) return;
        event.preventDefault();
        event.stopPropagation();
      }}
    >
      <PreviewImage
        photo={photo}
        onSelectFace={onSelectFace}
        selectedFaceId={selectedFaceId}
        tool={
          <button
            type="button"
            className="button button-ghost button-small"
            aria-pressed={playing}
            onClick={() => setPlaying(true)}
            title="Play the motion of this photo"
            data-testid="motion-play"
          >
            Motion
          </button>
        }
        overlay={playing ? <SilentClip photoId={photo.id} className="motion-player" testId="motion-player" onStop={() => setPlaying(false)} /> : null}
      />
    </div>
  );
}
