// An item's video played muted over its picture (a tile under the mouse, a motion photo's motion): it starts by
// itself (browsers let a muted video), and says when it ends or cannot play, so its picture comes back.
import { photoUrls } from '../api.js';

interface Props {
  photoId: string;
  className: string;
  testId: string;
  /** Again and again (a tile) rather than once (a motion photo). */
  loop?: boolean;
  onStop: () => void;
}

export function SilentClip({ photoId, className, testId, loop = false, onStop }: Props) {
  return (
    <video
      className={className}
      data-testid={testId}
      src={photoUrls.video(photoId)}
      muted
      autoPlay
      loop={loop}
      playsInline
      onEnded={onStop}
      onError={onStop}
      aria-hidden="true"
    />
  );
}
