// The selection bar's toolbar: how many are selected, and a button per thing that can be done to them all.
import type { ReactNode } from 'react';
import { exportUrls, MAX_EXPORTED_SELECTION } from '../../client/exports.js';
import { navigate } from '../../lib/router.js';
import { MAX_SHARED_FILES } from '../../lib/share.js';
import { selection } from '../../store/selection.js';
import { useCreationTools } from '../../store/creationTools.js';
import { HeartIcon } from '../PhotoTile.js';

/** A page's own bulk action (an album page's "Remove from album"): runs, then says what it did. */
export interface ExtraAction {
  label: string;
  danger?: boolean;
  run: (ids: string[]) => Promise<string>;
}

interface Props {
  ids: string[];
  /** How many are selected, in words: "2 photos and 1 video". */
  label: string;
  /** The selection is still being filled (a range). */
  pending: boolean;
  busy: boolean;
  allFavourite: boolean;
  allArchived: boolean;
  actions: ExtraAction[];
  onFavourite: () => void;
  onStack: () => void;
  onArchive: () => void;
  onDialog: (dialog: 'album' | 'trash' | 'share' | 'location') => void;
  onExtra: (action: ExtraAction) => void;
  /** The selected photos' files to the system's share sheet; absent where the browser has none. */
  onShareFiles?: () => void;
}

const Icon = ({ d, children }: { d?: string; children?: ReactNode }) => (
  <svg viewBox="0 0 24 24" className="icon" aria-hidden="true" focusable="false">
    {d ? <path d={d} /> : children}
  </svg>
);

export function SelectionActions({
  ids,
  label,
  pending,
  busy,
  allFavourite,
  allArchived,
  actions,
  onFavourite,
  onStack,
  onArchive,
  onDialog,
  onExtra,
  onShareFiles,
}: Props) {
  const tooMany = ids.length > MAX_EXPORTED_SELECTION;
  const creation = useCreationTools();
  return (
    <div className="selection-bar" role="toolbar" aria-label="Selected photos" data-testid="selection-bar">
      <button
        type="button"
        className="button button-ghost selection-close"
        onClick={() => selection.clear()}
        aria-label="Clear the selection (Esc)"
        title="Clear the selection (Esc)"
      >
        ×
      </button>
      <p className="selection-count" aria-live="polite" data-testid="selection-count">
        {label} selected{pending ? '…' : ''}
      </p>
      <div className="selection-actions">
        {creation.on ? (
          <button
            type="button"
            className="button"
            onClick={() => {
              navigate(`/create?products=${ids.join(',')}`);
              selection.clear();
            }}
            disabled={busy || ids.length > 500}
            title={ids.length > 500 ? 'At most 500 products at once' : 'Make product-shot sets of the selected photos'}
            data-testid="bulk-product-shots"
          >
            <span className="selection-label">Product shots</span>
          </button>
        ) : null}
        <button type="button" className="button" onClick={() => onDialog('album')} disabled={busy} data-testid="bulk-album">
          <Icon>
            <rect x="3" y="5" width="14" height="14" rx="2" />
            <path d="M7 2.5h12.5A1.5 1.5 0 0 1 21 4v12.5M10 9v6M7 12h6" />
          </Icon>
          <span className="selection-label">Add to album</span>
        </button>
        <button type="button" className="button" onClick={onFavourite} disabled={busy} aria-pressed={allFavourite} data-testid="bulk-favorite">
          <HeartIcon />
          <span className="selection-label">{allFavourite ? 'Unfavourite' : 'Favourite'}</span>
        </button>
        <button
          type="button"
          className="button"
          onClick={onStack}
          disabled={busy || ids.length < 2}
          title={ids.length < 2 ? 'Select two photos or more to stack them' : 'One tile for them all, the best shot on top'}
          data-testid="bulk-stack"
        >
          <Icon d="M7 7h13v13H7zM4 17V4h13" />
          <span className="selection-label">Stack</span>
        </button>
        <button
          type="button"
          className="button"
          onClick={onArchive}
          disabled={busy}
          aria-pressed={allArchived}
          title={allArchived ? 'Back to the timeline' : 'Out of the timeline, still in albums and search'}
          data-testid="bulk-archive"
        >
          <Icon d="M3.5 5h17v4h-17zM5 9v10h14V9M10 13h4" />
          <span className="selection-label">{allArchived ? 'Unarchive' : 'Archive'}</span>
        </button>
        <button type="button" className="button" onClick={() => onDialog('location')} disabled={busy} data-testid="bulk-location">
          <Icon d="M12 21s-6-5.6-6-11a6 6 0 0 1 12 0c0 5.4-6 11-6 11z M12 12.5a2.5 2.5 0 1 0 0-5 2.5 2.5 0 0 0 0 5z" />
          <span className="selection-label">Location</span>
        </button>
        <a
          className={`button${tooMany ? ' button-disabled' : ''}`}
          href={tooMany ? undefined : exportUrls.photos(ids)}
          download
          aria-disabled={tooMany || undefined}
          title={tooMany ? `At most ${MAX_EXPORTED_SELECTION} photos at once (Account → Export everything)` : 'The originals with XMP sidecars, as a ZIP'}
          data-testid="bulk-export"
        >
          <Icon d="M12 4v11M7.5 10.5 12 15l4.5-4.5M5 19h14" />
          <span className="selection-label">Export</span>
        </a>
        <button type="button" className="button" onClick={() => onDialog('share')} disabled={busy} data-testid="bulk-share">
          <Icon d="M10 14a4 4 0 0 0 5.7 0l3-3a4 4 0 0 0-5.7-5.7l-1 1M14 10a4 4 0 0 0-5.7 0l-3 3a4 4 0 0 0 5.7 5.7l1-1" />
          <span className="selection-label">Share link</span>
        </button>
        {onShareFiles ? (
          <button
            type="button"
            className="button"
            onClick={onShareFiles}
            disabled={busy || pending || ids.length > MAX_SHARED_FILES}
            title={ids.length > MAX_SHARED_FILES ? `At most ${MAX_SHARED_FILES} files at once (Share link has no bound)` : 'Send the files to another app'}
            data-testid="bulk-share-files"
          >
            <Icon d="M12 15V4M8 8l4-4 4 4M6 12v7h12v-7" />
            <span className="selection-label">Share</span>
          </button>
        ) : null}
        {actions.map((action) => (
          <button
            key={action.label}
            type="button"
            className={`button${action.danger ? ' button-danger-outline' : ''}`}
            disabled={busy}
            onClick={() => onExtra(action)}
          >
            <span>{action.label}</span>
          </button>
        ))}
        <button type="button" className="button button-danger-outline" onClick={() => onDialog('trash')} disabled={busy} data-testid="bulk-trash">
          <Icon d="M4 7h16M9.5 7V4.5h5V7M6 7l1 13h10l1-13M10 11v5.5M14 11v5.5" />
          <span className="selection-label">Trash</span>
        </button>
      </div>
    </div>
  );
}
