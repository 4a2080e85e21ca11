import { useState } from 'react';
import { photoUrls } from '../../api.js';

/** An album's cover thumbnail, or a stack-of-photos mark while it loads, when it fails and for an empty album. */
export function AlbumCover({ photoId, lazy = true }: { photoId: string | null; lazy?: boolean }) {
  const [result, setResult] = useState<{ photoId: string; loaded: boolean } | null>(null);
  const state = !photoId ? 'empty' : result?.photoId === photoId ? (result.loaded ? 'loaded' : 'failed') : 'loading';
  return (
    <span className={`album-cover album-cover-${state}`}>
      <svg className="album-cover-mark" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
        <rect x="3.5" y="6" width="17" height="14" rx="2" fill="none" stroke="currentColor" strokeWidth="1.6" />
        <path d="M6 3.5h12" stroke="currentColor" strokeWidth="1.6" strokeLinecap="round" />
        <path d="M5.5 17l4.2-4.6 3 3.1 2.1-2.2 3.7 3.7" fill="none" stroke="currentColor" strokeWidth="1.6" strokeLinejoin="round" />
      </svg>
      {photoId && state !== 'failed' ? (
        <img
          src={photoUrls.thumbnail(photoId)}
          alt=""
          loading={lazy ? 'lazy' : 'eager'}
          decoding="async"
          draggable={false}
          onLoad={() => setResult({ photoId, loaded: true })}
          onError={() => setResult({ photoId, loaded: false })}
        />
      ) : null}
    </span>
  );
}
