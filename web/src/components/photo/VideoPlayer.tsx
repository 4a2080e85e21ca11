// A video on its page: the browser's own player over the poster, streaming with byte ranges (it seeks anywhere at
// once). A clip browsers cannot play as it is waits for its transcoded copy (the `transcode` step): until then, or
// when that failed, the poster with the reason and the original to download.
import type { CSSProperties } from 'react';
import { isTerminal, photoUrls, type PhotoDetail } from '../../api.js';

/** Whether the server has something browsers play: the original as it is, or the copy the transcode step made. */
function playable(photo: PhotoDetail): 'yes' | 'waiting' | 'no' {
  if (photo.video?.playsAsIs) return 'yes';
  const step = photo.steps.transcode;
  if (step?.status === 'done') return 'yes';
  if (step?.status === 'skipped' || step?.status === 'failed') return 'no'; // no ffmpeg, or transcoding failed
  return isTerminal(photo.state) ? 'no' : 'waiting';
}

export function VideoPlayer({ photo }: { photo: PhotoDetail }) {
  const ratio = photo.width && photo.height ? photo.width / photo.height : 16 / 9;
  const style = { '--ratio': ratio, ...(photo.width ? { '--natural-w': `${photo.width}px` } : {}) } as CSSProperties;
  const state = playable(photo);
  const poster = photo.hasThumbnail ? photoUrls.preview(photo.id) : undefined;
  if (state === 'yes') {
    return (
      <figure className="preview preview-video" style={style}>
        <div className="preview-frame">
          <video className="video-player" data-testid="video-player" src={photoUrls.video(photo.id)} poster={poster} controls playsInline preload="metadata">
            <a href={photoUrls.original(photo.id)}>Download the video</a>
          </video>
        </div>
      </figure>
    );
  }
  const step = photo.steps.transcode;
  const preprocessing = photo.steps.preprocessing;
  const reason = preprocessing?.status === 'failed' || preprocessing?.status === 'skipped' ? preprocessing.error : step?.error;
  return (
    <figure className="preview preview-video" style={style}>
      <div className="preview-frame">
        {poster ? <img className="preview-img video-poster" src={poster} alt={photo.filename} /> : null}
        <div className="video-note" data-testid="video-note" role="status">
          {state === 'waiting' ? <span className="spinner" aria-hidden="true" /> : null}
          <p>{state === 'waiting' ? 'Making this video playable in browsers…' : `This video cannot be played here${reason ? `: ${reason}` : '.'}`}</p>
          <p>
            <a href={photoUrls.original(photo.id)} download={photo.filename}>
              Download the original
            </a>
          </p>
        </div>
      </div>
    </figure>
  );
}
