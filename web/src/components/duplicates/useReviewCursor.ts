// Which group is under review, and bringing it into view: the first one, the one a link asked for (?group=),
// the one j/k moved to, the next one once a group is settled, the one back after an undo. Keeps a few groups
// ahead of it loaded.
import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import type { DuplicateGroup } from '../../client/duplicates.js';

/** Load the next page while this many groups are still ahead of the one under review. */
const LOOKAHEAD = 5;

export type ReviewCursor = ReturnType<typeof useReviewCursor>;

/** `wanted`: a group to review first (the photo page links here with it). */
export function useReviewCursor(groups: DuplicateGroup[], loadMore: () => Promise<void>, wanted: string | null) {
  const [activeId, setActiveId] = useState<string | null>(null);
  const elements = useRef(new Map<string, HTMLElement>());
  /** Set when the keyboard moved the review: the new group is focused and scrolled to. */
  const bringIntoView = useRef(false);
  /** After an undo, the group holding this photo (back in the list) becomes the one under review. */
  const reviewPhoto = useRef<string | null>(null);

  const activeIndex = Math.max(
    0,
    groups.findIndex((g) => g.id === activeId),
  );
  const active: DuplicateGroup | undefined = groups[activeIndex];

  // After an undo: review the group that came back.
  useEffect(() => {
    const photoId = reviewPhoto.current;
    if (!photoId) return;
    const back = groups.find((g) => g.members.some((m) => m.photo.id === photoId));
    if (back) {
      reviewPhoto.current = null;
      bringIntoView.current = true;
      setActiveId(back.id);
    }
  }, [groups]);

  // Opened for one group: it comes under review once it has loaded.
  const openedWanted = useRef(false);
  useEffect(() => {
    if (!wanted || openedWanted.current) return;
    if (!groups.some((g) => g.id === wanted)) return;
    openedWanted.current = true;
    bringIntoView.current = true;
    setActiveId(wanted);
  }, [groups, wanted]);

  // Keep a few groups ahead loaded.
  useEffect(() => {
    if (groups.length - activeIndex <= LOOKAHEAD) void loadMore();
  }, [activeIndex, groups.length, loadMore]);

  useLayoutEffect(() => {
    if (!bringIntoView.current || !active) return;
    bringIntoView.current = false;
    const node = elements.current.get(active.id);
    if (!node) return;
    node.focus({ preventScroll: true });
    const smooth = !window.matchMedia('(prefers-reduced-motion: reduce)').matches;
    node.scrollIntoView({ block: 'start', behavior: smooth ? 'smooth' : 'auto' });
  }, [active]);

  /** Moves the review to the group at `index` (clamped to the list). */
  const review = (index: number) => {
    const target = groups[Math.min(Math.max(index, 0), groups.length - 1)];
    if (!target) return;
    bringIntoView.current = true;
    setActiveId(target.id);
  };

  /** A click or focus inside a group: it comes under review where it is (no scrolling). */
  const activate = (group: DuplicateGroup) => {
    if (activeId !== group.id) setActiveId(group.id);
  };

  /** A group is settled and about to leave the list: the next one comes under review if this one was. */
  const leave = (group: DuplicateGroup) => {
    const index = groups.findIndex((g) => g.id === group.id);
    const next = groups[index + 1] ?? groups[index - 1];
    if (activeId === group.id || (!activeId && index === 0)) {
      bringIntoView.current = true;
      setActiveId(next?.id ?? null);
    }
  };

  /** After an undo: the group holding this photo comes under review once it is back in the list. */
  const reviewGroupOf = (photoId: string) => {
    reviewPhoto.current = photoId;
  };

  /** The ref of a group's card, for focusing and scrolling to it. */
  const elementRef = (groupId: string) => (node: HTMLElement | null) => {
    if (node) elements.current.set(groupId, node);
    else elements.current.delete(groupId);
  };

  return { active, activeIndex, review, activate, leave, reviewGroupOf, elementRef };
}
