import { useCallback, useEffect, useId, useState, type FormEvent } from 'react';
import { ApiError } from '../api.js';
import { visitorApi, type VisitedLink, type VisitorPhoto } from '../client/sharing.js';
import { useAction } from '../hooks/useAction.js';
import { messageOf } from '../hooks/useResource.js';
import { rememberUploadLink } from '../lib/uploadLinks.js';
import { formatClipLength, formatCount, photosAndVideos } from '../lib/format.js';
import { MotionIcon, PlayIcon } from '../components/PhotoTile.js';
import { VisitorMedia } from '../components/sharing/VisitorMedia.js';
import { ACCEPT } from '../components/UploadButton.js';
import '../styles/sharing.css';

const PAGE = 100;

/**
 * A share link's visitor page (`/s/{token}`): no account, no header, nothing of the library but the link's
 * photos. A password first when the link has one; a photo view with Previous/Next (and Download when allowed);
 * an upload button when the link takes photos.
 */
export function SharedLinkPage({ token }: { token: string }) {
  const [link, setLink] = useState<VisitedLink | null>(null);
  const [problem, setProblem] = useState<{
    status: number;
    message: string;
  } | null>(null);
  const [photos, setPhotos] = useState<VisitorPhoto[]>([]);
  const [total, setTotal] = useState(0);
  const [videos, setVideos] = useState(0);
  const [open, setOpen] = useState<number | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const loadPage = useCallback(
    async (page: number) => {
      const answer = await visitorApi.photos(token, page, PAGE);
      setPhotos((list) => (page === 1 ? answer.items : [...list, ...answer.items]));
      setTotal(answer.total);
      setVideos(answer.videos);
    },
    [token],
  );

  const start = useCallback(async () => {
    try {
      const opened = await visitorApi.open(token);
      setLink(opened);
      document.title = `${opened.title} · Shoebox`;
      if (!opened.locked) {
        // Share → Shoebox offers the upload links this browser opened (lib/uploadLinks.ts)
        rememberUploadLink({ token, title: opened.title, owner: opened.owner }, opened.allowUpload);
        await loadPage(1);
      }
    } catch (failure) {
      setProblem({
        status: failure instanceof ApiError ? failure.status : 0,
        message: messageOf(failure),
      });
    }
  }, [token, loadPage]);

  useEffect(() => {
    document.title = 'Shared link · Shoebox'; // until the link's own title is known
    void start();
  }, [start]);

  if (problem) {
    return (
      <main className="visit-page visit-lock" data-testid="link-problem">
        <h1>{problem.status === 410 ? 'This link has expired' : problem.status === 404 ? 'This link does not work' : 'Could not open this link'}</h1>
        <p>{problem.message}</p>
      </main>
    );
  }
  if (!link)
    return (
      <main className="visit-page" aria-busy="true">
        <div className="page-loading" role="status" aria-label="Opening the link" />
      </main>
    );
  if (link.locked) return <PasswordForm token={token} title={link.title} owner={link.owner} onUnlocked={() => void start()} />;

  const upload = async (files: FileList | null) => {
    if (!files || files.length === 0) return;
    const form = new FormData();
    for (const file of files) form.append('file', file, file.name);
    setNotice('Uploading…');
    const response = await fetch(`/api/s/${encodeURIComponent(token)}/photos`, {
      method: 'POST',
      body: form,
    });
    const body = (await response.json().catch(() => null)) as {
      message?: string;
      items?: { duplicate?: boolean; error?: string; type?: string }[];
    } | null;
    const addedItems = body?.items?.filter((item) => item.duplicate === false) ?? [];
    const added = photosAndVideos(addedItems.length, addedItems.filter((item) => item.type === 'video').length);
    const there = body?.items?.filter((item) => item.duplicate === true).length ?? 0;
    setNotice(response.ok ? `Added ${added}${there > 0 ? ` (${formatCount(there)} already there)` : ''}. Thank you!` : (body?.message ?? 'The upload failed.'));
    await loadPage(1);
  };

  const photo = open === null ? null : photos[open];
  return (
    <main className="visit-page" data-testid="shared-link-page">
      <div className="visit-head">
        <div>
          <h1 data-testid="link-title">{link.title}</h1>
          <p className="muted" data-testid="link-facts">
            Shared by {link.owner} · {photosAndVideos(total, videos)}
            {link.expiresAt ? ` · until ${new Date(link.expiresAt).toLocaleDateString()}` : ''}
          </p>
          {link.description ? <p>{link.description}</p> : null}
        </div>
        {link.allowUpload ? (
          <label className="button button-primary">
            Add photos
            <input
              type="file"
              accept={`${ACCEPT},video/*`}
              multiple
              hidden
              onChange={(event) => void upload(event.target.files)}
              data-testid="visitor-upload"
            />
          </label>
        ) : null}
      </div>
      {notice ? (
        <p role="status" className="muted">
          {notice}
        </p>
      ) : null}
      <ul className="visit-grid" aria-label="Photos">
        {photos.map((item, index) => (
          <li key={item.id}>
            <button type="button" onClick={() => setOpen(index)} aria-label={`Open ${item.filename}`} style={{ background: item.colour ?? undefined }}>
              {item.hasThumbnail ? <img src={visitorApi.file(token, item.id, 'thumbnail')} alt={item.filename} loading="lazy" /> : null}
              {item.type === 'video' ? (
                <span className="tile-video" data-testid="visit-tile-video">
                  <PlayIcon />
                  {item.durationMs !== null ? <span className="tile-video-length">{formatClipLength(item.durationMs)}</span> : null}
                  <span className="visually-hidden">video</span>
                </span>
              ) : item.motion ? (
                <span className="tile-video tile-motion">
                  <MotionIcon />
                  <span className="visually-hidden">motion photo</span>
                </span>
              ) : null}
            </button>
          </li>
        ))}
      </ul>
      {photos.length < total ? (
        <button type="button" className="button" onClick={() => void loadPage(Math.floor(photos.length / PAGE) + 1)}>
          Show more
        </button>
      ) : null}
      {photo ? (
        <Viewer
          token={token}
          photo={photo}
          allowDownload={link.allowDownload}
          onClose={() => setOpen(null)}
          onStep={(step) => setOpen((index) => (index === null ? null : Math.min(photos.length - 1, Math.max(0, index + step))))}
        />
      ) : null}
    </main>
  );
}

function Viewer({
  token,
  photo,
  allowDownload,
  onClose,
  onStep,
}: {
  token: string;
  photo: VisitorPhoto;
  allowDownload: boolean;
  onClose: () => void;
  onStep: (step: number) => void;
}) {
  useEffect(() => {
    const keys = (event: KeyboardEvent) => {
      if (event.key === 'Escape') onClose();
      if (event.key === 'ArrowRight') onStep(1);
      if (event.key === 'ArrowLeft') onStep(-1);
    };
    window.addEventListener('keydown', keys);
    return () => window.removeEventListener('keydown', keys);
  }, [onClose, onStep]);
  return (
    <div className="visit-viewer" role="dialog" aria-modal="true" aria-label={photo.filename} data-testid="visitor-viewer">
      <div className="visit-viewer-bar">
        <button type="button" className="button" onClick={onClose}>
          Close
        </button>
        <button type="button" className="button" onClick={() => onStep(-1)} aria-label="Previous photo">
          ←
        </button>
        <button type="button" className="button" onClick={() => onStep(1)} aria-label="Next photo">
          →
        </button>
        <span className="spacer">{photo.filename}</span>
        {allowDownload ? (
          <a className="button button-primary" href={visitorApi.file(token, photo.id, 'original')} download={photo.filename} data-testid="visitor-download">
            Download
          </a>
        ) : null}
      </div>
      <VisitorMedia key={photo.id} token={token} photo={photo} />
    </div>
  );
}

function PasswordForm({ token, title, owner, onUnlocked }: { token: string; title: string; owner: string; onUnlocked: () => void }) {
  const [password, setPassword] = useState('');
  const { busy, error, run } = useAction();
  const fieldId = useId();
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    await run(async () => (await visitorApi.unlock(token, password), onUnlocked()));
  };
  return (
    <main className="visit-page visit-lock">
      <h1>{title}</h1>
      <p className="muted">Shared by {owner}. This link has a password.</p>
      <form onSubmit={(event) => void submit(event)} className="share-link-form">
        <label htmlFor={fieldId}>Password</label>
        <input id={fieldId} type="password" autoComplete="current-password" value={password} autoFocus onChange={(event) => setPassword(event.target.value)} />
        {error ? (
          <p className="form-error" role="alert">
            {error}
          </p>
        ) : null}
        <button type="submit" className="button button-primary" disabled={busy || !password}>
          {busy ? 'Opening…' : 'Open'}
        </button>
      </form>
    </main>
  );
}
