// What put a photo in a group, said in words: the tier and its measure (PDQ distance, CLIP similarity, time apart).
import type { GroupMember } from '../../client/duplicates.js';
import { parseWallClock } from '../../lib/format.js';

const TIERS: Record<string, { label: string; explain: string }> = {
  checksum: { label: 'Identical file', explain: 'byte for byte the same file (same SHA-256)' },
  sha256: { label: 'Identical file', explain: 'byte for byte the same file (same SHA-256)' },
  pdq: { label: 'Perceptual hash', explain: 'the PDQ hashes of the pictures are close: the same picture, resized, recompressed or lightly edited' },
  clip: { label: 'Visual similarity', explain: 'the CLIP embeddings are nearly the same: the same scene, perhaps cropped or edited more' },
  burst: { label: 'Burst', explain: 'shot seconds apart with the same camera: different frames of one moment' },
};

export const tierLabel = (tier: string): string => TIERS[tier]?.label ?? tier;
export const tierExplanation = (tier: string): string | null => TIERS[tier]?.explain ?? null;

/** The PDQ dihedral variant that matched (src/media/pdq.ts), as a person would describe the copy. */
const ORIENTATIONS: Record<string, string> = {
  rot90: 'turned a quarter left',
  rot180: 'upside down',
  rot270: 'turned a quarter right',
  flipx: 'flipped upside down',
  flipy: 'mirrored',
  flipplus1: 'mirrored and turned',
  flipminus1: 'mirrored and turned',
};

/** "6 of 256 bits apart", "94% similar", "2 s apart" — the measure of the tier that placed the member, or null. */
export type EvidenceOf = Pick<GroupMember, 'tier' | 'matchedPhotoId' | 'pdqDistance' | 'pdqOrientation' | 'similarity'> & {
  photo: { takenAt: string | null };
};

/** The same words wherever a pair is shown: the duplicates page, the photo page (one text per pair, see groups.ts). */
export function evidenceText(member: EvidenceOf, group: { members: readonly { photo: { id: string; takenAt: string | null } }[] }): string | null {
  if (member.tier === 'burst') {
    // frames of a burst differ by design: the time between them is the evidence, not how alike they look
    const other = group.members.find((m) => m.photo.id === member.matchedPhotoId);
    const seconds = secondsApart(member.photo.takenAt, other?.photo.takenAt ?? null);
    return seconds === null ? null : seconds === 0 ? 'same second' : `${seconds} s apart`;
  }
  if (member.tier === 'clip' && member.similarity !== null) return similarityText(member.similarity);
  if (member.pdqDistance !== null) {
    const distance = member.pdqDistance === 0 ? 'identical hash' : `${member.pdqDistance} of 256 bits apart`;
    const turned = member.pdqOrientation && member.pdqOrientation !== 'original' ? ` (${ORIENTATIONS[member.pdqOrientation] ?? member.pdqOrientation})` : '';
    return `${distance}${turned}`;
  }
  return member.similarity !== null ? similarityText(member.similarity) : null;
}

const similarityText = (similarity: number) => `${Math.round(similarity * 1000) / 10}% similar`;

/** Whole seconds between two capture times as the camera wrote them (wall clocks of one camera). */
function secondsApart(a: string | null, b: string | null): number | null {
  const wa = a ? parseWallClock(a) : null;
  const wb = b ? parseWallClock(b) : null;
  if (!wa || !wb) return null;
  const ms = (w: NonNullable<typeof wa>) => Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  return Math.round(Math.abs(ms(wa) - ms(wb)) / 1000);
}
