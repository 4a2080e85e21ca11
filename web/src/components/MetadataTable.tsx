import type { ReactNode } from 'react';
import type { PhotoDetail } from '../api.js';
import {
  formatBytes,
  formatCamera,
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

/** Everything known about the photo, one row per fact; optional facts appear only when present. */
export function MetadataTable({ photo }: { photo: PhotoDetail }) {
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
        <span className="sub">{zone ?? 'time zone unknown'}</span>
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
  if (m.latitude !== null && m.longitude !== null) {
    rows.push({
      field: 'location',
      label: 'Location',
      value: (
        <a
          href={openStreetMapUrl(m.latitude, m.longitude)}
          target="_blank"
          rel="noopener noreferrer"
          data-testid="gps-link"
          title="Show on OpenStreetMap (opens a new tab)"
        >
          {formatCoordinates(m.latitude, m.longitude)}
          <span className="external" aria-hidden="true">
            ↗
          </span>
          <span className="visually-hidden"> on OpenStreetMap (opens a new tab)</span>
        </a>
      ),
    });
  }
  if (m.rating !== null) rows.push({ field: 'rating', label: 'Rating', value: <Stars rating={m.rating} /> });
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
  if (photo.hasSidecar) rows.push({ field: 'sidecar', label: 'Sidecar', value: 'XMP sidecar attached' });
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
