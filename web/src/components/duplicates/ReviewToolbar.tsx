// The top of the duplicates page: its title with the shortcuts button, which kinds of group to show, and how
// far the review has come (groups left, groups reviewed, a progress bar).
import type { GroupKind } from '../../client/duplicates.js';
import { formatCount, plural } from '../../lib/format.js';
import { Link } from '../../lib/router.js';

/** Which groups the page shows. */
export type Filter = GroupKind | 'all';

const FILTERS: readonly { value: Filter; label: string }[] = [
  { value: 'duplicate', label: 'Duplicates' },
  { value: 'burst', label: 'Bursts' },
  { value: 'all', label: 'All' },
];

interface Props {
  filter: Filter;
  /** Show the progress (the groups have loaded). */
  ready: boolean;
  /** Groups still to review on the server, and groups reviewed this visit. */
  left: number;
  done: number;
  onHelp: () => void;
}

export function ReviewToolbar({ filter, ready, left, done, onHelp }: Props) {
  const percent = done + left > 0 ? Math.round((done / (done + left)) * 100) : 100;
  return (
    <div className="dup-top">
      <div className="dup-title-row">
        <h1>Duplicates</h1>
        <button type="button" className="button button-ghost dup-help-button" onClick={onHelp} aria-keyshortcuts="Shift+?">
          <kbd aria-hidden="true">?</kbd> Keyboard shortcuts
        </button>
      </div>
      <div className="dup-toolbar">
        <div className="dup-filter" role="group" aria-label="Show">
          {FILTERS.map((f) => (
            <Link
              key={f.value}
              to={f.value === 'duplicate' ? '/duplicates' : `/duplicates?kind=${f.value}`}
              replace
              className="dup-filter-option"
              aria-current={filter === f.value ? 'true' : undefined}
              data-filter={f.value}
            >
              {f.label}
            </Link>
          ))}
        </div>
        {ready && (left > 0 || done > 0) ? (
          <div className="dup-progress">
            <p className="dup-left" data-testid="groups-left" data-value={left} aria-live="polite">
              {left === 0 ? 'All reviewed' : `${plural(left, 'group', 'groups')} left`}
              {done > 0 ? <span className="muted"> · {formatCount(done)} reviewed</span> : null}
            </p>
            <div className="dup-progress-bar" aria-hidden="true">
              <span style={{ width: `${percent}%` }} />
            </div>
          </div>
        ) : null}
      </div>
    </div>
  );
}
