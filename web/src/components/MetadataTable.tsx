import type { ReactNode } from 'react';
import { Link } from '../lib/router.js';
import type { PhotoFull, PlaceInfo } from '../client/photo.js';
import {
  formatBytes,
  formatCamera,
  formatClipLength,
  formatCoordinates,
  formatMime,
  formatOrientation,
  formatWallClock,
  formatZone,
  megapixels,
  openStreetMapUrl,
} from '../lib/format.js';
import { Stars } from './Stars.js';

interface Row {
  field: string;
  label: string;
  value: ReactNode;
}

const Unknown = () => <span className="muted">unknown</span>;

/** "Moab, Utah, United States" (the parts known, without repeating one). */
export function formatPlace(place: PlaceInfo | null | undefined): string | null {
  if (!place) return null;
  const parts = [place.city, place.state, place.country].filter((part): part is string => Boolean(part?.trim()));
  return parts.filter((part, i) => parts.indexOf(part) === i).join(', ') || null;
}

/** Everything known about the photo, one row per fact; optional facts appear only when present. */
export function MetadataTable({ photo }: { photo: PhotoFull }) {
  const m = photo.metadata;
  const takenAt = m.takenAt ?? photo.takenAt;
  const zone = formatZone(takenAt, m.timeZone);
  const camera = formatCamera(m.make ?? photo.make, m.model ?? photo.model);
  const rows: Row[] = [];

  rows.push({
    field: 'taken',
    label: 'Taken',
    value: takenAt ? (
      <>
        <time dateTime={takenAt}>{formatWallClock(takenAt)}</time>
        <span className="sub">{m.takenAt ? (zone ?? 'time zone unknown') : 'the file’s date: the photo itself names none'}</span>
      </>
    ) : (
      <Unknown />
    ),
  });
  rows.push({
    field: 'camera',
    label: 'Camera',
    value: camera ? (
      <span title={[m.make, m.model].filter(Boolean).join(' / ')} data-make={m.make ?? ''} data-model={m.model ?? ''}>
        {camera}
      </span>
    ) : (
      <Unknown />
    ),
  });
  if (m.lens) rows.push({ field: 'lens', label: 'Lens', value: m.lens });
  rows.push({
    field: 'dimensions',
    label: 'Dimensions',
    value:
      photo.width && photo.height ? (
        <>
          {photo.width} × {photo.height} px <span className="sub-inline">{megapixels(photo.width, photo.height)}</span>
        </>
      ) : (
        <Unknown />
      ),
  });
  if (photo.type === 'video') {
    const v = photo.video;
    const streams = v
      ? [v.videoCodec.toUpperCase(), v.audioCodec ? v.audioCodec.toUpperCase() : 'no sound', v.fps ? `${Math.round(v.fps * 100) / 100} fps` : null]
      : [];
    rows.push({
      field: 'video',
      label: 'Video',
      value:
        photo.durationMs !== null ? (
          <>
            {formatClipLength(photo.durationMs)} <span className="sub-inline">{streams.filter(Boolean).join(' · ')}</span>
          </>
        ) : (
          <Unknown />
        ),
    });
  }
  const place = formatPlace(m.place);
  if (place || (m.latitude !== null && m.longitude !== null)) {
    rows.push({
      field: 'location',
      label: 'Location',
      value: <LocationValue metadata={m} place={place} />,
    });
  }
  // The rating the user gives is on the page's stars; the file's own is shown when it says something else.
  if (m.rating !== null && (photo.rating === undefined || m.rating < 0 || m.rating !== photo.rating)) {
    rows.push({ field: 'rating', label: photo.rating === undefined ? 'Rating' : 'Rating in file', value: <Stars rating={m.rating} /> });
  }
  if (m.keywords.length > 0) {
    rows.push({
      field: 'keywords',
      label: 'Keywords',
      value: (
        <ul className="chips" role="list">
          {m.keywords.map((keyword) => (
            <li key={keyword} className="chip">
              {keyword}
            </li>
          ))}
        </ul>
      ),
    });
  }
  if (m.description) rows.push({ field: 'description', label: 'Description', value: <span className="description">{m.description}</span> });
  const orientation = formatOrientation(m.orientation);
  if (orientation) rows.push({ field: 'orientation', label: 'Orientation', value: orientation });
  rows.push({ field: 'file', label: 'File', value: <span className="filename">{photo.filename}</span> });
  rows.push({ field: 'size', label: 'File size', value: formatBytes(photo.sizeBytes) });
  rows.push({ field: 'type', label: 'Type', value: formatMime(photo.mime) });
  rows.push({
    field: 'sha256',
    label: 'SHA-256',
    value: (
      <code className="hash" title={photo.sha256}>
        {photo.sha256.slice(0, 12)}…
      </code>
    ),
  });
  if (photo.sidecar)
    rows.push({ field: 'sidecar', label: 'Sidecar', value: photo.sidecar === 'xmp' ? 'XMP sidecar attached' : 'Google Takeout JSON sidecar attached' });
  if (photo.sourcePath) rows.push({ field: 'source', label: 'Imported from', value: <code className="path">{photo.sourcePath}</code> });
  rows.push({
    field: 'added',
    label: 'Added',
    value: <time dateTime={photo.createdAt}>{new Date(photo.createdAt).toLocaleString()}</time>,
  });

  return (
    <table className="meta-table" data-testid="metadata">
      <tbody>
        {rows.map((row) => (
          <tr key={row.field} data-field={row.field}>
            <th scope="row">{row.label}</th>
            <td>{row.value}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Where it was taken: the named place's parts, each a link to its photos, and the coordinates on OpenStreetMap. */
function LocationValue({ metadata: m, place }: { metadata: PhotoFull['metadata']; place: string | null }) {
  return (
    <>
      {place ? (
        <span className="place" title={m.place?.source === 'geocoded' ? 'The nearest town to where it was taken' : 'As the file names it'}>
          {[m.place?.city, m.place?.state, m.place?.country]
            .filter((part): part is string => Boolean(part?.trim()))
            .map((part, i) => (
              <span key={`${i}-${part}`}>
                {i > 0 ? ', ' : null}
                <Link to={`/places/${encodeURIComponent(part)}`} data-testid="place-link">
                  {part}
                </Link>
              </span>
            ))}
        </span>
      ) : null}
      {m.latitude !== null && m.longitude !== null ? (
        <a
          href={openStreetMapUrl(m.latitude, m.longitude)}
          target="_blank"
          rel="noopener noreferrer"
          data-testid="gps-link"
          className={place ? 'sub' : undefined}
          title="Show on OpenStreetMap (opens a new tab)"
        >
          {formatCoordinates(m.latitude, m.longitude)}
          <span className="external" aria-hidden="true">
            ↗
          </span>
          <span className="visually-hidden"> on a map (OpenStreetMap, opens a new tab)</span>
        </a>
      ) : null}
    </>
  );
}
