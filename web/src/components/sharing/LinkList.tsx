import { useState } from 'react';
import { linkUrl, sharingApi, type LinkSummary } from '../../client/sharing.js';
import { formatCount, photosAndVideos } from '../../lib/format.js';
import { LinkClipWarning } from './LinkClipWarning.js';

/** Share links with their address (copy), settings, views, and revoke. */
export function LinkList({ links, onChange }: { links: LinkSummary[]; onChange: (work: () => Promise<unknown>) => void }) {
  const [copied, setCopied] = useState<string | null>(null);
  if (links.length === 0) return null;
  return (
    <ul className="share-links" data-testid="share-links">
      {links.map((link) => (
        <li key={link.id} className={`share-link${link.expired ? ' is-expired' : ''}`}>
          <input className="share-link-url" readOnly value={linkUrl(link)} aria-label="Link address" onFocus={(event) => event.target.select()} />
          <button
            type="button"
            className="button"
            onClick={() => {
              void navigator.clipboard?.writeText(linkUrl(link)).then(
                () => setCopied(link.id),
                () => undefined,
              );
            }}
          >
            {copied === link.id ? 'Copied' : 'Copy'}
          </button>
          <p className="muted share-link-facts">
            {link.albumName ?? link.description ?? 'Chosen items'} · {photosAndVideos(link.photoCount, link.videoCount)} ·{' '}
            {link.hasPassword ? 'password' : 'no password'} ·{' '}
            {link.expiresAt ? (link.expired ? `expired ${link.expiresAt.slice(0, 10)}` : `until ${link.expiresAt.slice(0, 10)}`) : 'no expiry'} ·{' '}
            {link.allowDownload ? (link.keepMetadata ? 'downloads on, with location' : 'downloads on, without location') : 'downloads off'}
            {link.allowUpload ? ' · uploads on' : ''} · {formatCount(link.viewCount)} {link.viewCount === 1 ? 'view' : 'views'}
          </p>
          <LinkClipWarning link={link} />
          <div className="share-link-actions">
            <button
              type="button"
              className="button button-ghost"
              onClick={() =>
                onChange(() =>
                  sharingApi.updateLink(link.id, {
                    allowDownload: !link.allowDownload,
                  }),
                )
              }
            >
              {link.allowDownload ? 'Turn downloads off' : 'Turn downloads on'}
            </button>
            {link.allowDownload ? (
              <button
                type="button"
                className="button button-ghost"
                onClick={() => onChange(() => sharingApi.updateLink(link.id, { keepMetadata: !link.keepMetadata }))}
              >
                {link.keepMetadata ? 'Remove location from downloads' : 'Keep location in downloads'}
              </button>
            ) : null}
            <button type="button" className="button button-danger-outline" onClick={() => onChange(() => sharingApi.deleteLink(link.id))}>
              Revoke
            </button>
          </div>
        </li>
      ))}
    </ul>
  );
}
