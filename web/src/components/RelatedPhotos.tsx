import { useEffect, useRef, useState } from 'react';
import {
  getDuplicateGroup,
  photoLinks,
  similarPhotos,
  type DuplicateGroupDetail,
  type DuplicateMember,
  type ListedPhoto,
  type PhotoFull,
} from '../client/photo.js';
import { Link } from '../lib/router.js';
import { stepThroughList } from '../store/resultSequence.js';
import { PhotoGrid } from './PhotoGrid.js';
import { evidenceText, tierLabel } from './duplicates/evidence.js';
import { errorText, isAbort } from '../lib/errors.js';

type Load<T> = { status: 'loading' } | { status: 'ready'; value: T } | { status: 'error'; error: string };

/**
 * What puts `member` beside the photo shown, in the duplicates page's words: the pair's own measure when one of
 * the two matched the other, else the member's measure to the photo it matched in the group.
 */
function evidence(member: DuplicateMember, shown: string, all: readonly DuplicateMember[]): string {
  const mine = all.find((m) => m.photo.id === shown);
  const pair = member.matchedPhotoId !== shown && mine?.matchedPhotoId === member.photo.id ? { ...mine, photo: member.photo, matchedPhotoId: shown } : member;
  return evidenceText(pair, { members: all }) ?? tierLabel(member.tier);
}

/** What the suggestion does with a member, in the duplicates page's words (a burst is never resolved). */
function fateOf(member: DuplicateMember, group: DuplicateGroupDetail): 'best' | 'keep' | 'trash' | null {
  if (member.suggestedKeeper) return 'best';
  if (group.kind !== 'duplicate') return null;
  return group.suggestedKeep.includes(member.photo.id) ? 'keep' : 'trash';
}

const FATE_WORDS = { best: 'best shot', keep: 'keep', trash: 'to trash' } as const;

/** This photo's part in the suggestion, as its card on the duplicates page says it. */
function FateLine({ photo, group }: { photo: PhotoFull; group: DuplicateGroupDetail }) {
  const member = group.members.find((m) => m.photo.id === photo.id);
  const fate = member ? fateOf(member, group) : null;
  if (!member || !fate) return null;
  const keeper = group.members.find((m) => m.suggestedKeeper);
  const why = group.keeperWhy.length > 0 ? ` (${group.keeperWhy.join(', ')})` : '';
  return (
    <p data-testid="duplicates-fate">
      {fate === 'best' ? <span className="badge badge-completed">{group.kind === 'duplicate' ? 'best shot · suggested' : 'best shot'}</span> : null}{' '}
      {fate === 'best'
        ? `${group.kind === 'duplicate' ? 'Suggested to keep: the best shot' : 'The best shot of the burst'}${why}.`
        : fate === 'keep'
          ? `Kept with the best shot: ${member.keptBecause ?? 'no photo kept is a copy of it with all it has'}.`
          : `To trash when the suggestion is taken: ${keeper?.photo.filename ?? 'the best shot'} has all it has.`}
    </p>
  );
}

/**
 * The duplicate or burst group the photo is in: what the suggestion does with this photo and with each other member
 * (tiles to open), as the duplicates page says it, and the way there to settle the group.
 */
export function DuplicatesSection({ photo }: { photo: PhotoFull }) {
  const group = photo.duplicateGroup;
  const [load, setLoad] = useState<Load<DuplicateGroupDetail>>({ status: 'loading' });
  const groupId = group?.id;
  useEffect(() => {
    if (!groupId) return;
    const controller = new AbortController();
    setLoad({ status: 'loading' });
    getDuplicateGroup(groupId, controller.signal)
      .then((detail) => setLoad({ status: 'ready', value: detail }))
      .catch((error: unknown) => {
        if (!isAbort(error)) setLoad({ status: 'error', error: errorText(error) });
      });
    return () => controller.abort();
  }, [groupId]);
  if (!group) return null;

  const burst = group.kind === 'burst';
  const others = group.size - 1;
  const detail = load.status === 'ready' ? load.value : null;
  const members = detail ? detail.members.filter((member) => member.photo.id !== photo.id) : [];
  const byId = new Map(members.map((member) => [member.photo.id, member]));
  return (
    <section className="info-section" aria-labelledby="duplicates-title" data-testid="duplicates">
      <h2 id="duplicates-title">{burst ? 'Burst' : 'Duplicates'}</h2>
      <p>
        {burst
          ? `Taken in a burst with ${others} other frame${others === 1 ? '' : 's'}.`
          : `This photo and ${others} other${others === 1 ? '' : 's'} were found alike by ${tierLabel(group.tier).toLowerCase()}.`}
      </p>
      {detail ? <FateLine photo={photo} group={detail} /> : null}
      {detail && members.length > 0 ? (
        <PhotoGrid<ListedPhoto>
          photos={members.map((member) => member.photo)}
          label={burst ? 'Other frames of the burst' : 'The other photos of the group'}
          compact
          onOpen={() => stepThroughList(members.map((member) => member.photo))}
          overlay={(listed) => {
            const member = byId.get(listed.id);
            const fate = member ? fateOf(member, detail) : null;
            return member ? (
              <span className="tile-note">
                {fate ? `${FATE_WORDS[fate]} · ` : ''}
                {evidence(member, photo.id, detail.members)}
              </span>
            ) : null;
          }}
          testId="duplicate-members"
        />
      ) : null}
      {load.status === 'loading' ? <p className="muted">Loading the group…</p> : null}
      {load.status === 'error' ? <p className="muted">The group could not be loaded: {load.error}</p> : null}
      <p className="section-link">
        <Link to={photoLinks.duplicateGroup(group.id)} data-testid="duplicates-link">
          {burst ? 'See the burst' : 'Review the duplicates'} <span aria-hidden="true">→</span>
        </Link>
      </p>
    </section>
  );
}

const SIMILAR_SHOWN = 8;

/**
 * Photos that look like this one (CLIP), fetched when the section scrolls into view: stepping through photos
 * with the keyboard does not run a search for each.
 */
export function SimilarSection({ photo, note }: { photo: PhotoFull; note: string }) {
  const section = useRef<HTMLElement>(null);
  const [visible, setVisible] = useState(false);
  const [load, setLoad] = useState<Load<ListedPhoto[]>>({ status: 'loading' });
  const ready = photo.embedding !== null;

  useEffect(() => {
    const node = section.current;
    if (!node || visible || !ready) return;
    if (typeof IntersectionObserver === 'undefined') {
      setVisible(true);
      return;
    }
    const observer = new IntersectionObserver(
      (entries) => {
        if (entries.some((entry) => entry.isIntersecting)) setVisible(true);
      },
      { rootMargin: '200px' },
    );
    observer.observe(node);
    return () => observer.disconnect();
  }, [visible, ready]);

  useEffect(() => {
    if (!visible || !ready) return;
    const controller = new AbortController();
    similarPhotos(photo.id, SIMILAR_SHOWN, controller.signal)
      .then((answer) => setLoad({ status: 'ready', value: answer.items.map((item) => item.photo) }))
      .catch((error: unknown) => {
        if (!isAbort(error)) setLoad({ status: 'error', error: errorText(error) });
      });
    return () => controller.abort();
  }, [visible, ready, photo.id]);

  return (
    <section ref={section} className="info-section" aria-labelledby="similar-title" data-testid="similar">
      <h2 id="similar-title">Similar photos</h2>
      {!ready ? (
        <p className="muted">{note}</p>
      ) : load.status === 'loading' ? (
        <p className="muted" aria-busy="true">
          Looking for photos like this one…
        </p>
      ) : load.status === 'error' ? (
        <p className="muted">{load.error}</p>
      ) : load.value.length === 0 ? (
        <p className="muted">No other photo looks like this one.</p>
      ) : (
        <PhotoGrid<ListedPhoto> photos={load.value} label="Similar photos" compact onOpen={() => stepThroughList(load.value)} testId="similar-photos" />
      )}
      {ready ? (
        <p className="section-link">
          <Link to={photoLinks.similarSearch(photo.id)} data-testid="find-similar">
            Find more like this <span aria-hidden="true">→</span>
          </Link>
        </p>
      ) : null}
    </section>
  );
}
