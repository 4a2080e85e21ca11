// Settling the groups under review: the photos chosen to keep in each, resolve (the others go to the trash) and
// dismiss (not duplicates, or not a burst) with their busy and error states, the notice of what happened (with
// Undo after a resolve), and how many groups were reviewed this visit.
import { useCallback, useState } from 'react';
import { ApiError } from '../../api.js';
import { dismissDuplicateGroup, resolveDuplicateGroup, type DuplicateGroup } from '../../client/duplicates.js';
import { restoreFromTrash } from '../../client/trash.js';
import { messageOf } from '../../hooks/useResource.js';
import { formatCount, plural } from '../../lib/format.js';
import { settleKeep, suggestedChoice, toggleKeep, type KeepChoice } from './keep.js';
import type { ReviewCursor } from './useReviewCursor.js';

export interface Notice {
  text: string;
  /** Photos a resolve moved to the trash: "Undo" restores them. */
  undo?: string[];
}

export type GroupActions = ReturnType<typeof useGroupActions>;

interface Groups {
  /** A group was settled: it leaves the list. */
  remove: (groupId: string) => void;
  reload: () => Promise<void>;
}

export function useGroupActions(data: Groups, cursor: Pick<ReviewCursor, 'leave' | 'reviewGroupOf'>) {
  const [choices, setChoices] = useState<Record<string, KeepChoice>>({});
  const [busy, setBusy] = useState<{ id: string; action: 'resolve' | 'dismiss' } | null>(null);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [notice, setNotice] = useState<Notice | null>(null);
  const [reviewed, setReviewed] = useState(0);

  /** The photos to keep and those the user chose to trash: their choice, else the server's suggestion. */
  const choiceOf = useCallback((group: DuplicateGroup): KeepChoice => choices[group.id] ?? suggestedChoice(group), [choices]);
  const keepOf = useCallback((group: DuplicateGroup): string[] => choiceOf(group).keep, [choiceOf]);

  /** Keeps the photo, and what it does not make redundant (a RAW, another version of the shot, an original). */
  const choose = (group: DuplicateGroup, photoId: string) => setChoices((c) => ({ ...c, [group.id]: settleKeep(group, [photoId], []) }));
  const toggle = (group: DuplicateGroup, photoId: string) => {
    // at least one photo stays: unticking the last one is a no-op
    const next = toggleKeep(group, choiceOf(group), photoId);
    if (next) setChoices((c) => ({ ...c, [group.id]: next }));
  };
  /** The suggestion trashes nothing and the user chose nothing: Shoebox cannot tell which photo is the copy. */
  const proposesNothing = (group: DuplicateGroup) => group.kind === 'duplicate' && !choices[group.id] && choiceOf(group).keep.length === group.members.length;

  /** A group is settled: the next one comes under review, this one leaves the list. */
  const settle = (group: DuplicateGroup) => {
    cursor.leave(group);
    data.remove(group.id);
    setReviewed((n) => n + 1);
  };

  const fail = (group: DuplicateGroup, error: unknown) => {
    if (error instanceof ApiError && error.status === 404) {
      // settled elsewhere (another tab, the CLI) meanwhile
      settle(group);
      setNotice({ text: 'That group was already settled elsewhere.' });
      return;
    }
    setErrors((e) => ({ ...e, [group.id]: messageOf(error) }));
  };

  const resolve = async (group: DuplicateGroup) => {
    if (busy) return;
    if (group.kind !== 'duplicate') {
      setNotice({ text: 'A burst is never resolved by deleting frames: press d to unstack it if it is not a burst.' });
      return;
    }
    const { keep, trash } = choiceOf(group);
    setBusy({ id: group.id, action: 'resolve' });
    setErrors(({ [group.id]: _gone, ...rest }) => rest);
    try {
      const result = await resolveDuplicateGroup(group.id, keep, trash);
      const keptName = group.members.find((m) => m.photo.id === result.kept[0])?.photo.filename ?? 'the chosen photo';
      const kept = result.kept.length === 1 ? keptName : plural(result.kept.length, 'photo', 'photos');
      setNotice({
        text: result.trashed.length
          ? `Kept ${kept}; moved ${plural(result.trashed.length, 'photo', 'photos')} to the trash.`
          : `Kept all ${formatCount(result.kept.length)}: they will not be grouped again.`,
        undo: result.trashed.length ? result.trashed : undefined,
      });
      settle(group);
    } catch (error) {
      fail(group, error);
    } finally {
      setBusy(null);
    }
  };

  const dismiss = async (group: DuplicateGroup) => {
    if (busy) return;
    setBusy({ id: group.id, action: 'dismiss' });
    setErrors(({ [group.id]: _gone, ...rest }) => rest);
    try {
      const { dismissed } = await dismissDuplicateGroup(group.id);
      setNotice({
        text:
          group.kind === 'burst'
            ? `Unstacked ${plural(dismissed, 'frame', 'frames')}.`
            : `Not duplicates: the ${plural(dismissed, 'photo stays', 'photos stay')} as they are and will not be grouped again.`,
      });
      settle(group);
    } catch (error) {
      fail(group, error);
    } finally {
      setBusy(null);
    }
  };

  const undo = async () => {
    const ids = notice?.undo;
    if (!ids?.length) return;
    setNotice({ text: 'Restoring…' });
    try {
      const { restored } = await restoreFromTrash(ids);
      cursor.reviewGroupOf(ids[0]!);
      setNotice({ text: `Restored ${plural(restored, 'photo', 'photos')} from the trash; the group is back for review.` });
      setReviewed((n) => Math.max(0, n - 1));
      await data.reload();
    } catch (error) {
      setNotice({ text: `Could not restore: ${messageOf(error)}`, undo: ids });
    }
  };

  return { keepOf, choiceOf, choose, toggle, proposesNothing, resolve, dismiss, undo, busy, errors, notice, setNotice, reviewed };
}
