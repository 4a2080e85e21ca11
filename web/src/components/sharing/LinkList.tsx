import { useState } from 'react';
import { linkUrl, sharingApi, type LinkSummary } from '../../client/sharing.js';
import { errorText } from '../../lib/errors.js';
import { formatCount, photosAndVideos } from '../../lib/format.js';
import { hasShareSheet, openShareSheet } from '../../lib/share.js';
import { LinkClipWarning } from './LinkClipWarning.js';

/** Share links with their address (copy, or the system's share sheet), settings, views, and revoke. */
export function LinkList({ links, onChange }: { links: LinkSummary[]; onChange: (work: () => Promise<unknown>) => void }) {
  const [copied, setCopied] = useState<string | null>(null);
  // why copying or sharing a link failed, by link (a cancelled share sheet is no failure)
  const [failed, setFailed] = useState<{ id: string; message: string } | null>(null);
  if (links.length === 0) return null;
  const sheet = hasShareSheet();
  const copy = (link: LinkSummary) => {
    setFailed(null);
    if (!navigator.clipboard) return setFailed({ id: link.id, message: 'This browser gives no clipboard here: select the address and copy it.' });
    navigator.clipboard.writeText(linkUrl(link)).then(
      () => setCopied(link.id),
      (failure: unknown) => setFailed({ id: link.id, message: `Could not copy: ${errorText(failure)}` }),
    );
  };
  const share = (link: LinkSummary) => {
    setFailed(null);
    openShareSheet({ url: linkUrl(link), title: link.albumName ?? link.description ?? 'Photos' }).catch((failure: unknown) =>
      setFailed({ id: link.id, message: errorText(failure) }),
    );
  };
  return (
    <ul className="share-links" data-testid="share-links">
      {links.map((link) => (
        <li key={link.id} className={`share-link${link.expired ? ' is-expired' : ''}`}>
          <input className="share-link-url" readOnly value={linkUrl(link)} aria-label="Link address" onFocus={(event) => event.target.select()} />
          <span className="share-link-buttons">
            <button type="button" className="button" onClick={() => copy(link)}>
              {copied === link.id ? 'Copied' : 'Copy'}
            </button>
            {sheet ? (
              <button type="button" className="button" onClick={() => share(link)} data-testid="share-link-sheet">
                Share…
              </button>
            ) : null}
          </span>
          {failed?.id === link.id ? (
            <p className="form-error share-link-error" role="alert">
              {failed.message}
            </p>
          ) : null}
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
