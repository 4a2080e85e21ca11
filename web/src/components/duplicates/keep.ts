// Which photos of a duplicate group are kept. The server says which members each one makes redundant
// (`supersededBy`); choosing a photo keeps it and everything it does not make redundant — a RAW, the other version of
// one shot, an original with more than it — so that no key press marks the only RAW or original for the trash. Only
// unticking such a photo, one by one, sends it to the trash: the user's own choice, named in the request.
import type { DuplicateGroup } from '../../client/duplicates.js';

export interface KeepChoice {
  /** The photos chosen (by the user, else the suggested keeper). */
  chosen: string[];
  /** The photos to keep: the chosen ones first, then those none of them makes redundant. */
  keep: string[];
  /** Photos the user unticked although no kept photo makes them redundant. */
  trash: string[];
}

/** Keeping `chosen` keeps them and every member none of them makes redundant, except those the user chose to trash. */
export function settleKeep(group: DuplicateGroup, chosen: readonly string[], trash: readonly string[]): KeepChoice {
  const explicit = trash.filter((id) => !chosen.includes(id));
  const rest = group.members
    .filter((m) => !chosen.includes(m.photo.id) && !explicit.includes(m.photo.id) && !m.supersededBy.some((id) => chosen.includes(id)))
    .map((m) => m.photo.id);
  return { chosen: [...chosen], keep: [...chosen, ...rest], trash: explicit };
}

/** What the page starts with: the server's suggestion (for a burst, which is never resolved, its best shot). */
export function suggestedChoice(group: DuplicateGroup): KeepChoice {
  const keeper = group.keeperId ?? group.members[0]!.photo.id;
  if (group.kind === 'duplicate' && group.suggestedKeep.length > 0) return { chosen: [keeper], keep: group.suggestedKeep, trash: [] };
  return { chosen: [keeper], keep: [keeper], trash: [] };
}

/** Ticks or unticks one photo; unticking one that nothing kept makes redundant is the user's choice to trash it. */
export function toggleKeep(group: DuplicateGroup, choice: KeepChoice, photoId: string): KeepChoice | null {
  if (!choice.keep.includes(photoId))
    return settleKeep(
      group,
      [...choice.chosen, photoId],
      choice.trash.filter((id) => id !== photoId),
    );
  const keep = choice.keep.filter((id) => id !== photoId);
  if (keep.length === 0) return null; // at least one photo stays
  const member = group.members.find((m) => m.photo.id === photoId);
  const redundant = member?.supersededBy.some((id) => keep.includes(id)) ?? false;
  // unticking one photo leaves the others as they are shown: what stays kept is chosen now (the chosen first)
  const chosen = choice.chosen.filter((id) => id !== photoId);
  return settleKeep(group, [...chosen, ...keep.filter((id) => !chosen.includes(id))], redundant ? choice.trash : [...choice.trash, photoId]);
}
