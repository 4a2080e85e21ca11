// The duplicates page, /duplicates[?kind=burst|all][&group=<id>]: lays out the review. Which group is under review
// (useReviewCursor), settling groups (useGroupActions) and the keyboard (useReviewKeys) live in
// components/duplicates/.
import { useEffect, useState } from 'react';
import '../styles/duplicates.css';
import { EmptyState } from '../components/duplicates/EmptyState.js';
import { GroupCard } from '../components/duplicates/GroupCard.js';
import { ReviewNotice } from '../components/duplicates/ReviewNotice.js';
import { ReviewToolbar, type Filter } from '../components/duplicates/ReviewToolbar.js';
import { ShortcutsDialog } from '../components/duplicates/ShortcutsDialog.js';
import { useDuplicateGroups } from '../components/duplicates/useDuplicateGroups.js';
import { useGroupActions } from '../components/duplicates/useGroupActions.js';
import { useReviewCursor } from '../components/duplicates/useReviewCursor.js';
import { useReviewKeys } from '../components/duplicates/useReviewKeys.js';
import { ErrorPanel } from '../components/ErrorPanel.js';
import { useLocation } from '../lib/router.js';
import { useLibrary } from '../store/library.js';

/**
 * Reviewing duplicate and burst groups, built for long sessions at the keyboard: one group is under review
 * (highlighted), j/k move between groups, ←/→ or 1–9 choose the photo to keep, Enter resolves, d dismisses.
 */
export function DuplicatesPage() {
  const location = useLocation();
  const params = new URLSearchParams(location.search);
  const requested = params.get('kind');
  /** A group to review first (the photo page links here with it); its kind is not known, so all kinds show. */
  const wanted = params.get('group');
  const filter: Filter = requested === 'burst' || requested === 'all' || requested === 'duplicate' ? requested : wanted ? 'all' : 'duplicate';
  const data = useDuplicateGroups(filter === 'all' ? undefined : filter);
  const { groups } = data;
  const library = useLibrary();
  const [help, setHelp] = useState(false);

  useEffect(() => {
    document.title = 'Duplicates · Shoebox';
  }, []);

  const cursor = useReviewCursor(groups, data.loadMore, wanted);
  const actions = useGroupActions(data, cursor);
  useReviewKeys(cursor, actions, setHelp);
  const { active } = cursor;
  const { busy, errors, notice, choiceOf } = actions;

  const left = data.total;
  const done = actions.reviewed;

  return (
    <main className="dup-page" data-testid="duplicates-page">
      <ReviewToolbar filter={filter} ready={data.status === 'ready'} left={left} done={done} onHelp={() => setHelp(true)} />

      {data.status === 'loading' ? (
        <p className="muted dup-loading" role="status">
          <span className="spinner spinner-inline" aria-hidden="true" /> Looking for groups to review…
        </p>
      ) : null}
      {data.status === 'error' ? (
        <ErrorPanel title="Cannot load the duplicate groups" message={data.error ?? 'unknown error'} onRetry={() => void data.reload()} />
      ) : null}
      {data.status === 'ready' && groups.length === 0 ? (
        <EmptyState filter={filter} reviewed={done} libraryEmpty={(library.stats?.total ?? library.total) === 0 && library.status === 'ready'} />
      ) : null}

      {groups.length > 0 ? (
        <div className="dup-groups">
          {groups.map((group, index) => (
            <GroupCard
              key={group.id}
              ref={cursor.elementRef(group.id)}
              group={group}
              index={index}
              total={Math.max(left, groups.length)}
              active={group.id === active?.id}
              keep={new Set(choiceOf(group).keep)}
              chosen={new Set(choiceOf(group).chosen)}
              chosenTrash={new Set(choiceOf(group).trash)}
              busy={busy?.id === group.id ? busy.action : null}
              error={errors[group.id] ?? null}
              onActivate={() => cursor.activate(group)}
              onChoose={(photoId) => actions.choose(group, photoId)}
              onToggle={(photoId) => actions.toggle(group, photoId)}
              onResolve={() => void actions.resolve(group)}
              onDismiss={() => void actions.dismiss(group)}
            />
          ))}
          {data.loadingMore ? (
            <p className="muted" role="status">
              <span className="spinner spinner-inline" aria-hidden="true" /> Loading more groups…
            </p>
          ) : groups.length < left ? (
            <button type="button" className="button dup-more" onClick={() => void data.loadMore()}>
              Show more groups
            </button>
          ) : null}
          {data.error && data.status === 'ready' ? (
            <p className="dup-error" role="alert">
              {data.error}
            </p>
          ) : null}
        </div>
      ) : null}

      {notice ? <ReviewNotice notice={notice} onUndo={() => void actions.undo()} onClose={() => actions.setNotice(null)} /> : null}

      <ShortcutsDialog open={help} onClose={() => setHelp(false)} />
    </main>
  );
}
