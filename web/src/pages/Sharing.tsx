import { useEffect, useId, useMemo, useState } from 'react';
import { listAlbums, type AlbumSummary } from '../client/albums.js';
import { sharingApi } from '../client/sharing.js';
import { ErrorPanel } from '../components/ErrorPanel.js';
import { albumCountLabel } from '../components/albums/AlbumCard.js';
import { AlbumCover } from '../components/albums/AlbumCover.js';
import { LinkList } from '../components/sharing/LinkList.js';
import { Timeline } from '../components/timeline/Timeline.js';
import { messageOf, useResource } from '../hooks/useResource.js';
import { SavedCheckbox } from '../components/SavedCheckbox.js';
import { Link } from '../lib/router.js';
import { library } from '../store/library.js';
import '../styles/albums.css';
import '../styles/sharing.css';

/** Everything shared: with me (albums, partners' libraries), my library with partners, my share links. */
export function SharingPage() {
  const data = useResource('sharing', async (signal) => {
    const [albums, partners, links, users] = await Promise.all([
      listAlbums({ sharing: 'shared' }, signal),
      sharingApi.partners(),
      sharingApi.links(),
      sharingApi.users(),
    ]);
    return {
      albums: albums.items,
      partners,
      links: links.items,
      users: users.items,
    };
  });
  const [error, setError] = useState<string | null>(null);
  const [partnerChoice, setPartnerChoice] = useState('');
  const partnerId = useId();

  useEffect(() => {
    document.title = 'Sharing · Shoebox';
  }, []);

  /** Does one change, then loads the page again; a refusal is said on the page and rejects. */
  const save = async (work: () => Promise<unknown>, refreshTimeline = false) => {
    try {
      setError(null);
      await work();
      data.reload();
      if (refreshTimeline) void library.refresh();
    } catch (failure) {
      setError(messageOf(failure));
      throw failure;
    }
  };
  const act = (work: () => Promise<unknown>, refreshTimeline = false) => save(work, refreshTimeline).catch(() => undefined);

  if (data.error && !data.data) return <ErrorPanel title="Could not load what is shared" message={data.error.message} onRetry={data.reload} />;
  const current = data.data;
  const candidates = current?.users.filter((user) => !current.partners.sharingWith.some((p) => p.id === user.id)) ?? [];
  return (
    <main className="page page-narrow sharing-page" aria-busy={data.loading}>
      <div className="page-head">
        <h1>Sharing</h1>
      </div>
      {error ? (
        <p className="form-error" role="alert">
          {error}
        </p>
      ) : null}

      <section className="card" aria-labelledby="shared-with-me">
        <h2 id="shared-with-me">Shared with you</h2>
        {current && current.albums.length === 0 && current.partners.sharedWithMe.length === 0 ? <p className="muted">Nothing yet.</p> : null}
        {current && current.partners.sharedWithMe.length > 0 ? (
          <ul className="partner-list" data-testid="partners-incoming">
            {current.partners.sharedWithMe.map((partner) => (
              <li key={partner.id} className="partner-row">
                <span className="share-who">
                  <Link to={`/partners/${partner.id}`}>
                    <strong>{partner.name}</strong>’s library
                  </Link>
                </span>
                <SavedCheckbox checked={partner.inTimeline} onSave={(next) => save(() => sharingApi.setPartnerInTimeline(partner.id, next), true)}>
                  Show in my photos
                </SavedCheckbox>
                <button type="button" className="button button-ghost" onClick={() => void act(() => sharingApi.removePartner(partner.id, 'incoming'), true)}>
                  Stop seeing it
                </button>
              </li>
            ))}
          </ul>
        ) : null}
        {current && current.albums.length > 0 ? (
          <ul className="album-grid" data-testid="albums-shared-with-me">
            {current.albums.map((album) => (
              <SharedAlbumCard key={album.id} album={album} />
            ))}
          </ul>
        ) : null}
      </section>

      <section className="card" aria-labelledby="my-partners">
        <h2 id="my-partners">Your library with partners</h2>
        <p className="muted">A partner sees all your photos, read-only, and may show them in their own timeline.</p>
        {candidates.length > 0 ? (
          <form
            className="share-form"
            onSubmit={(event) => {
              event.preventDefault();
              if (partnerChoice) void act(() => sharingApi.addPartner(partnerChoice)).then(() => setPartnerChoice(''));
            }}
          >
            <label htmlFor={partnerId}>Share my library with</label>
            <select id={partnerId} value={partnerChoice} onChange={(event) => setPartnerChoice(event.target.value)} data-testid="partner-user">
              <option value="">Choose someone…</option>
              {candidates.map((user) => (
                <option key={user.id} value={user.id}>
                  {user.name} ({user.email})
                </option>
              ))}
            </select>
            <button type="submit" className="button button-primary" disabled={!partnerChoice}>
              Share library
            </button>
          </form>
        ) : null}
        <ul className="partner-list" data-testid="partners-outgoing">
          {current?.partners.sharingWith.map((partner) => (
            <li key={partner.id} className="partner-row">
              <span className="share-who">
                <strong>{partner.name}</strong> <span className="muted">{partner.email}</span>
              </span>
              <button type="button" className="button button-ghost" onClick={() => void act(() => sharingApi.removePartner(partner.id, 'outgoing'))}>
                Stop sharing
              </button>
            </li>
          ))}
        </ul>
      </section>

      <section className="card" aria-labelledby="my-links">
        <h2 id="my-links">Your links</h2>
        {current && current.links.length === 0 ? (
          <p className="muted">No links. Make one from an album’s Share button, or select photos and choose Share link.</p>
        ) : null}
        <LinkList links={current?.links ?? []} onChange={(work) => void act(work)} />
      </section>
    </main>
  );
}

/** An album shared with me: its cover, name, count, what I may do, who shared it. */
function SharedAlbumCard({ album }: { album: AlbumSummary }) {
  return (
    <li className="album-card" data-testid="album-card">
      <Link to={`/albums/${album.id}`} className="album-card-cover" tabIndex={-1} aria-hidden="true">
        <AlbumCover photoId={album.coverPhotoId} />
      </Link>
      <div className="album-card-body">
        <Link to={`/albums/${album.id}`} className="album-card-name">
          {album.name}
        </Link>
        <p className="album-card-count muted">
          {albumCountLabel(album)} · {album.access === 'editor' ? 'you can add photos' : 'view only'}
        </p>
        <p className="owner-note">
          <span className="badge badge-shared">Shared by {album.owner.name}</span>
        </p>
      </div>
    </li>
  );
}

/** A partner's shared library: their photos alone, read-only. */
export function PartnerPage({ id }: { id: string }) {
  const partners = useResource('partners', () => sharingApi.partners());
  const partner = partners.data?.sharedWithMe.find((p) => p.id === id);
  const filter = useMemo(() => ({ owner: id }), [id]);
  useEffect(() => {
    document.title = `${partner?.name ?? 'Partner'}’s library · Shoebox`;
  }, [partner?.name]);
  if (partners.data && !partner) {
    return (
      <main>
        <section className="panel">
          <h1>This library is not shared with you</h1>
          <p>
            <Link to="/sharing">See what is shared with you</Link>
          </p>
        </section>
      </main>
    );
  }
  return (
    <main className="partner-page">
      <p className="back-row">
        <Link to="/sharing" className="back-link">
          ← Sharing
        </Link>
      </p>
      <h1>{partner ? `${partner.name}’s library` : ' '}</h1>
      <Timeline filter={filter} label={`${partner?.name ?? 'Partner'}’s photos, newest first`} selectable={false} />
    </main>
  );
}
