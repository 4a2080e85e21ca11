import { useState } from 'react';
import { photoUrls } from '../../api.js';
import type { DuplicateGroup, GroupMember } from '../../client/duplicates.js';
import { formatBytes, formatCamera, formatWallClock, megapixels } from '../../lib/format.js';
import { Link } from '../../lib/router.js';
import { evidenceText, tierExplanation, tierLabel } from './evidence.js';

interface Props {
  member: GroupMember;
  group: DuplicateGroup;
  /** 1-based: the number key that picks it. */
  position: number;
  /** Whether the group can be resolved (a duplicate group); a burst has no keep/trash choice. */
  choosing: boolean;
  keep: boolean;
  /** Kept though not chosen: no chosen photo makes it redundant (a RAW, another version of the shot, an original). */
  autoKept: boolean;
  /** Marked for the trash by the user although no kept photo makes it redundant (a RAW, an original). */
  chosenTrash: boolean;
  /** Index (1-based) of the member it was matched with, for "compared with #2". */
  matchedPosition: number | null;
  largestPixels: boolean;
  largestFile: boolean;
  onChoose: () => void;
  onToggle: () => void;
}

/** One photo of a group: the picture and what tells the copies apart. */
export function MemberCard({
  member,
  group,
  position,
  choosing,
  keep,
  autoKept,
  chosenTrash,
  matchedPosition,
  largestPixels,
  largestFile,
  onChoose,
  onToggle,
}: Props) {
  const { photo } = member;
  const [loaded, setLoaded] = useState(false);
  const [failed, setFailed] = useState(false);
  const ratio = photo.width && photo.height ? photo.width / photo.height : 1;
  const mp = megapixels(photo.width, photo.height);
  const evidence = evidenceText(member, group);
  const camera = formatCamera(photo.make, photo.model);
  const date = formatWallClock(photo.takenAt);
  const fate = !choosing ? null : keep ? 'keep' : 'trash';

  return (
    <li
      className={`dup-member${fate ? ` dup-member-${fate}` : ''}`}
      data-testid="dup-member"
      data-photo-id={photo.id}
      data-keep={choosing ? keep : undefined}
      data-suggested={member.suggestedKeeper}
      onClick={(event) => {
        // a click on the picture or the facts makes this the one to keep; links and the checkbox do their own thing
        if (!choosing || (event.target as HTMLElement).closest('a, input, label')) return;
        onChoose();
      }}
    >
      <div className="dup-member-picture" style={{ aspectRatio: String(Math.min(Math.max(ratio, 0.5), 2)) }}>
        {!failed ? (
          <img
            src={photoUrls.thumbnail(photo.id)}
            alt={photo.filename}
            loading="lazy"
            decoding="async"
            className={loaded ? 'dup-img dup-img-loaded' : 'dup-img'}
            onLoad={() => setLoaded(true)}
            onError={() => setFailed(true)}
          />
        ) : (
          <span className="dup-img-missing">no thumbnail</span>
        )}
        <kbd className="dup-member-key" aria-hidden="true">
          {position}
        </kbd>
        {fate ? (
          <span className={`dup-fate dup-fate-${fate}`} data-testid="dup-fate">
            {fate === 'keep' ? 'Keep' : chosenTrash ? 'To trash — your choice' : 'To trash'}
          </span>
        ) : null}
      </div>
      <div className="dup-member-facts">
        <div className="dup-member-title">
          <Link to={photoUrls.page(photo.id)} className="dup-member-name" title={`Open ${photo.filename}`}>
            {photo.filename}
          </Link>
          {member.suggestedKeeper ? (
            <span className="badge badge-completed" title={group.keeperWhy.length > 0 ? `Best shot: ${group.keeperWhy.join(', ')}` : 'Best shot'}>
              {choosing ? 'best shot · suggested' : 'best shot'}
            </span>
          ) : null}
        </div>
        <dl className="dup-facts">
          <div>
            <dt>Size</dt>
            <dd>
              {photo.width && photo.height ? (
                <span className={largestPixels ? 'dup-best' : undefined} data-field="dimensions">
                  {photo.width} × {photo.height}
                  {mp ? <span className="muted"> ({mp})</span> : null}
                </span>
              ) : (
                '—'
              )}
            </dd>
          </div>
          <div>
            <dt>File</dt>
            <dd>
              <span className={largestFile ? 'dup-best' : undefined} data-field="bytes">
                {formatBytes(photo.sizeBytes)}
              </span>
            </dd>
          </div>
          <div>
            <dt>Taken</dt>
            <dd>{date ? <time dateTime={photo.takenAt ?? undefined}>{date}</time> : <span className="muted">unknown</span>}</dd>
          </div>
          <div>
            <dt>Camera</dt>
            <dd>{camera ?? <span className="muted">unknown</span>}</dd>
          </div>
          <div>
            <dt>Shot</dt>
            <dd data-field="best-shot">
              {member.bestShot.score === null ? (
                <span className="muted">not measured yet</span>
              ) : (
                <>
                  <span className={member.suggestedKeeper ? 'dup-best' : undefined}>{Math.round(member.bestShot.score * 100)}</span>
                  <span className="muted"> · {member.bestShot.reasons.join(', ')}</span>
                </>
              )}
            </dd>
          </div>
          <div>
            <dt>Match</dt>
            <dd data-field="evidence" title={tierExplanation(member.tier) ?? undefined}>
              <span className={`dup-tier dup-tier-${member.tier}`}>{tierLabel(member.tier)}</span>
              {evidence ? ` · ${evidence}` : null}
              {matchedPosition ? <span className="muted"> · vs #{matchedPosition}</span> : null}
            </dd>
          </div>
        </dl>
        {choosing && autoKept ? (
          <p className="dup-kept-because muted" data-testid="kept-because">
            Kept: {member.keptBecause ?? 'no photo you keep is a copy of it with all it has'}
          </p>
        ) : null}
        {choosing && chosenTrash ? (
          <p className="dup-kept-because dup-chosen-trash" role="note">
            Nothing you keep is a copy of it with all it has: it goes only because you unticked it.
          </p>
        ) : null}
        {choosing ? (
          <label className="dup-keep-toggle">
            <input type="checkbox" checked={keep} onChange={onToggle} data-testid="keep-checkbox" />
            Keep this photo
          </label>
        ) : null}
      </div>
    </li>
  );
}
