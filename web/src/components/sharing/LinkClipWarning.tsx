import { useEffect, useState } from 'react';
import { sharingApi, type LinkClipCheck, type LinkSummary } from '../../client/sharing.js';
import { formatCount } from '../../lib/format.js';

/**
 * Whether a link's visitors can play its videos. Unless the link keeps metadata, each clip goes out as a copy without
 * where it was taken; the check makes those copies now (kept: its visitors are served from them) and this names the
 * videos whose copy is refused, so the owner hears it here rather than a visitor meeting a video that does not play.
 */
export function LinkClipWarning({ link }: { link: Pick<LinkSummary, 'id' | 'keepMetadata' | 'allowDownload'> }) {
  const [check, setCheck] = useState<LinkClipCheck | null>(null);
  const [round, setRound] = useState(0);
  useEffect(() => {
    setCheck(null);
    if (link.keepMetadata) return;
    let live = true;
    // a check that fails says nothing: the visitors' own requests still make the copies
    sharingApi.checkLink(link.id).then(
      (answer) => live && setCheck(answer),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [link.id, link.keepMetadata, link.allowDownload, round]);
  if (!check) return null;
  const refused = check.refused.length;
  if (refused === 0 && check.unchecked === 0) return null;
  return (
    <div className="share-link-warning" role={refused > 0 ? 'alert' : 'status'} data-testid="link-clip-warning">
      {refused > 0 ? (
        <>
          <p>
            <strong>
              {formatCount(refused)} {refused === 1 ? 'video' : 'videos'} will not play for visitors:
            </strong>{' '}
            a copy without where {refused === 1 ? 'it was' : 'they were'} taken could not be made. Take {refused === 1 ? 'it' : 'them'} out of the link to share
            the rest, or turn downloads on and keep location in them to share {refused === 1 ? 'it' : 'them'} as {refused === 1 ? 'it is' : 'they are'}.
          </p>
          <ul>
            {check.refused.map((clip) => (
              <li key={clip.photoId}>
                <strong>{clip.filename}</strong>: {clip.message}
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {check.unchecked > 0 ? (
        <p className="muted">
          {formatCount(check.unchecked)} {check.unchecked === 1 ? 'video is' : 'videos are'} not checked yet (being made playable, or more than one check
          takes).{' '}
          <button type="button" className="button button-ghost" onClick={() => setRound((n) => n + 1)}>
            Check again
          </button>
        </p>
      ) : null}
    </div>
  );
}
