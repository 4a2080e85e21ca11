import type { Ref } from 'react';
import type { DuplicateGroup } from '../../client/duplicates.js';
import { tierLabel } from './evidence.js';
import { MemberCard } from './MemberCard.js';
import { countedByMime, formatCount, plural, stackedItems } from '../../lib/format.js';

interface Props {
  ref?: Ref<HTMLElement>;
  group: DuplicateGroup;
  /** 0-based place in the list. */
  index: number;
  total: number;
  active: boolean;
  keep: ReadonlySet<string>;
  /** The photos chosen to keep (the others kept are those they do not make redundant). */
  chosen: ReadonlySet<string>;
  /** Photos the user unticked although nothing kept makes them redundant. */
  chosenTrash: ReadonlySet<string>;
  busy: 'resolve' | 'dismiss' | null;
  error: string | null;
  onActivate: () => void;
  onChoose: (photoId: string) => void;
  onToggle: (photoId: string) => void;
  onResolve: () => void;
  onDismiss: () => void;
}

const pixels = (w: number | null, h: number | null) => (w ?? 0) * (h ?? 0);

/** One group: its photos side by side, which to keep, and the two ways to settle it. */
export function GroupCard({
  ref,
  group,
  index,
  total,
  active,
  keep,
  chosen,
  chosenTrash,
  busy,
  error,
  onActivate,
  onChoose,
  onToggle,
  onResolve,
  onDismiss,
}: Props) {
  const duplicate = group.kind === 'duplicate';
  const members = group.members;
  const trashCount = members.length - keep.size;
  const tiers = [...new Set(members.filter((m) => !m.suggestedKeeper).map((m) => tierLabel(m.tier)))];
  // Mark the best values only when the photos differ in them.
  const maxPixels = Math.max(...members.map((m) => pixels(m.photo.width, m.photo.height)));
  const pixelsDiffer = members.some((m) => pixels(m.photo.width, m.photo.height) !== maxPixels);
  const maxBytes = Math.max(...members.map((m) => m.photo.sizeBytes));
  const bytesDiffer = members.some((m) => m.photo.sizeBytes !== maxBytes);
  const position = new Map(members.map((m, i) => [m.photo.id, i + 1]));
  const titleId = `group-${group.id}-title`;

  return (
    <section
      ref={ref}
      className={`dup-group${active ? ' dup-group-active' : ''}`}
      aria-labelledby={titleId}
      aria-current={active ? 'true' : undefined}
      tabIndex={-1}
      data-testid="dup-group"
      data-group-id={group.id}
      data-kind={group.kind}
      onFocus={onActivate}
      onPointerDown={onActivate}
    >
      <header className="dup-group-head">
        <h2 id={titleId} className="dup-group-title">
          {duplicate ? 'Duplicates' : 'Burst'}{' '}
          <span className="muted">
            · group {index + 1} of {total}
          </span>
        </h2>
        <span className={`badge ${duplicate ? 'badge-partial' : 'badge-processing'}`}>
          {duplicate ? stackedItems(members) : plural(members.length, 'frame', 'frames')}
        </span>
        {duplicate && tiers.length ? <span className="muted dup-group-tiers">found by {tiers.join(', ').toLowerCase()}</span> : null}
        {group.keeperId && group.keeperWhy.length > 0 ? (
          <span className="dup-group-best" data-testid="best-shot-why">
            Best shot: #{position.get(group.keeperId)} — {group.keeperWhy.join(', ')}
          </span>
        ) : null}
      </header>

      <ul className="dup-members" aria-label={duplicate ? 'Photos in this group: choose the ones to keep' : 'Frames of this burst'}>
        {members.map((member, i) => (
          <MemberCard
            key={member.photo.id}
            member={member}
            group={group}
            position={i + 1}
            choosing={duplicate}
            keep={keep.has(member.photo.id)}
            autoKept={keep.has(member.photo.id) && !chosen.has(member.photo.id)}
            chosenTrash={chosenTrash.has(member.photo.id)}
            matchedPosition={member.matchedPhotoId ? (position.get(member.matchedPhotoId) ?? null) : null}
            largestPixels={pixelsDiffer && pixels(member.photo.width, member.photo.height) === maxPixels}
            largestFile={bytesDiffer && member.photo.sizeBytes === maxBytes}
            onChoose={() => onChoose(member.photo.id)}
            onToggle={() => onToggle(member.photo.id)}
          />
        ))}
      </ul>

      <div className="dup-actions">
        {duplicate ? (
          <button type="button" className="button button-primary" onClick={onResolve} disabled={busy !== null || keep.size === 0} data-testid="resolve">
            {busy === 'resolve'
              ? 'Moving to the trash…'
              : trashCount === 0
                ? 'Keep them all'
                : `Keep ${countedByMime(members.filter((m) => keep.has(m.photo.id)).map((m) => m.photo.mime))(keep.size)}, move ${formatCount(trashCount)} to the trash`}
            <kbd aria-hidden="true">Enter</kbd>
          </button>
        ) : null}
        <button type="button" className="button" onClick={onDismiss} disabled={busy !== null} data-testid="dismiss">
          {busy === 'dismiss' ? 'Working…' : duplicate ? 'Not duplicates' : 'Not a burst: unstack'}
          <kbd aria-hidden="true">D</kbd>
        </button>
        <p className="dup-explain muted">
          {duplicate
            ? trashCount === 0
              ? 'Keeping them all remembers that these are different photos: they will not be grouped again.'
              : 'The others go to the Trash, where they can be restored. Their favourite, rating, keywords, tags and albums are added to what you keep first.'
            : 'Frames shot seconds apart with one camera stay together as a stack; nothing is deleted. Unstack them if they are not one burst.'}
          {duplicate ? ' “Not duplicates” leaves every photo as it is and never groups them again.' : null}
        </p>
      </div>
      {error ? (
        <p className="dup-error" role="alert">
          {error}
        </p>
      ) : null}
    </section>
  );
}
