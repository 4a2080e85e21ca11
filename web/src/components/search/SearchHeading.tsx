// The search page's heading: the words searched for, or the photo or image that a "photos like" search starts
// from (its thumbnail and name), or just "Search" before anything is searched.
import { useEffect, useState } from 'react';
import { photoUrls, type PhotoSummary } from '../../api.js';
import { Link } from '../../lib/router.js';
import type { SearchKind } from './searchState.js';

interface Props {
  kind: SearchKind;
  q: string;
  /** The library photo of a "find similar" search, and that photo once loaded. */
  similar: string | null;
  source: PhotoSummary | null;
  /** The image of a search by image (gone after a reload). */
  file: File | undefined;
}

export function SearchHeading({ kind, q, similar, source, file }: Props) {
  return (
    <div className="search-title">
      {kind === 'text' ? (
        <h1>
          <span className="visually-hidden">Search results for </span>“{q}”
        </h1>
      ) : kind === 'similar' ? (
        <SimilarHeading photoId={similar!} photo={source} />
      ) : kind === 'image' ? (
        <ImageHeading file={file} />
      ) : (
        <h1>Search</h1>
      )}
    </div>
  );
}

function SimilarHeading({ photoId, photo }: { photoId: string; photo: PhotoSummary | null }) {
  return (
    <div className="search-source">
      <Link to={photoUrls.page(photoId)} className="search-source-thumb" aria-label={photo ? `Open ${photo.filename}` : 'Open the photo'}>
        <img src={photoUrls.thumbnail(photoId)} alt="" width={56} height={56} />
      </Link>
      <h1>
        Photos like <Link to={photoUrls.page(photoId)}>{photo?.filename ?? 'this photo'}</Link>
      </h1>
    </div>
  );
}

function ImageHeading({ file }: { file: File | undefined }) {
  const [url, setUrl] = useState<string | null>(null);
  // A format the browser cannot show (HEIC, raw): no thumbnail, the name says which file it was.
  const [unreadable, setUnreadable] = useState(false);
  useEffect(() => {
    setUnreadable(false);
    if (!file) return;
    const objectUrl = URL.createObjectURL(file);
    setUrl(objectUrl);
    return () => URL.revokeObjectURL(objectUrl);
  }, [file]);
  return (
    <div className="search-source">
      {file && url && !unreadable ? (
        <span className="search-source-thumb">
          <img src={url} alt="" width={56} height={56} onError={() => setUnreadable(true)} />
        </span>
      ) : null}
      <h1>Photos like {file ? <span className="search-source-name">{file.name}</span> : 'an image'}</h1>
    </div>
  );
}
