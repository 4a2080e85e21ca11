import { useState } from 'react';
import { visitorApi, type VisitorPhoto } from '../../client/sharing.js';
import { MotionIcon } from '../PhotoTile.js';

/**
 * Why a clip did not load, in the server's words. A player is told only that its source failed: the same address is
 * asked once more for one byte (a refusal is remembered by the server, so it answers at once) and its message read.
 */
async function whyNotPlayed(url: string): Promise<string> {
  const fallback = 'This browser could not play it.';
  try {
    const response = await fetch(url, { headers: { range: 'bytes=0-0' } });
    if (response.ok) {
      await response.body?.cancel();
      return fallback;
    }
    const body = (await response.json().catch(() => null)) as { message?: string } | null;
    const message = body?.message ?? fallback;
    return message.charAt(0).toUpperCase() + message.slice(1);
  } catch {
    return 'The server could not be reached.';
  }
}

/** What a visitor sees of a clip that does not play: its poster, and why (before: a player stuck at 0:00, no word). */
function ClipProblem({ preview, filename, message, motion }: { preview: string | null; filename: string; message: string; motion: boolean }) {
  return (
    <div className="visit-media visit-still" data-testid="visitor-video-problem">
      {preview ? <img src={preview} alt={filename} /> : null}
      <div className="visit-problem" role="alert">
        <strong>{motion ? 'Its motion cannot be played here.' : 'This video cannot be played here.'}</strong>
        <p>{message}</p>
      </div>
    </div>
  );
}

/** The photo, a video in the browser's player, or a motion photo with its motion played on Motion (muted, once). */
export function VisitorMedia({ token, photo }: { token: string; photo: VisitorPhoto }) {
  const [moving, setMoving] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const preview = visitorApi.file(token, photo.id, 'preview');
  const video = visitorApi.file(token, photo.id, 'video');
  const failed = () => void whyNotPlayed(video).then(setProblem);
  if (photo.type === 'video') {
    if (problem) return <ClipProblem preview={photo.hasThumbnail ? preview : null} filename={photo.filename} message={problem} motion={false} />;
    return (
      <video
        className="visit-media"
        data-testid="visitor-video"
        src={video}
        poster={photo.hasThumbnail ? preview : undefined}
        controls
        playsInline
        preload="metadata"
        onError={failed}
      />
    );
  }
  if (problem) return <ClipProblem preview={preview} filename={photo.filename} message={problem} motion />;
  return (
    <div className="visit-media visit-still">
      {moving ? (
        <video
          className="visit-media"
          data-testid="visitor-motion"
          src={video}
          poster={preview}
          autoPlay
          muted
          playsInline
          onEnded={() => setMoving(false)}
          onError={() => {
            setMoving(false);
            failed();
          }}
        />
      ) : (
        <img src={preview} alt={photo.filename} />
      )}
      {photo.motion && !moving ? (
        <button type="button" className="button visit-motion" onClick={() => setMoving(true)} data-testid="visitor-motion-play">
          <MotionIcon /> Motion
        </button>
      ) : null}
    </div>
  );
}
