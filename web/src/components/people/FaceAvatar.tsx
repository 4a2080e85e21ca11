import { useState } from 'react';
import { peopleUrls } from '../../client/people.js';

interface Props {
  faceId: string | null;
  /** Empty when the name sits next to it (the image is then decorative). */
  alt?: string;
  className?: string;
  lazy?: boolean;
}

/** A round face crop, or a silhouette while it loads, when it fails and when there is no face to show. */
export function FaceAvatar({ faceId, alt = '', className, lazy = true }: Props) {
  // Keyed by face, so that a new cover starts from the silhouette again.
  const [result, setResult] = useState<{ faceId: string; state: 'loaded' | 'failed' } | null>(null);
  const state = result && result.faceId === faceId ? result.state : 'loading';
  const setState = (next: 'loaded' | 'failed') => faceId && setResult({ faceId, state: next });
  return (
    <span className={`face-avatar face-avatar-${faceId ? state : 'failed'} ${className ?? ''}`}>
      <svg className="face-avatar-silhouette" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
        <circle cx="12" cy="9" r="4.2" fill="currentColor" />
        <path d="M3.5 22c.8-4.6 4.2-7.3 8.5-7.3s7.7 2.7 8.5 7.3z" fill="currentColor" />
      </svg>
      {faceId && state !== 'failed' ? (
        <img
          src={peopleUrls.face(faceId)}
          alt={alt}
          loading={lazy ? 'lazy' : 'eager'}
          decoding="async"
          draggable={false}
          onLoad={() => setState('loaded')}
          onError={() => setState('failed')}
        />
      ) : null}
    </span>
  );
}
