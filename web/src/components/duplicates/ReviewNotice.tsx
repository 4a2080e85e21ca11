// What the last resolve or dismiss did, at the foot of the duplicates page, with Undo after photos went to the
// trash.
import type { Notice } from './useGroupActions.js';

export function ReviewNotice({ notice, onUndo, onClose }: { notice: Notice; onUndo: () => void; onClose: () => void }) {
  return (
    <div className="dup-notice" role="status" data-testid="dup-notice">
      <span>{notice.text}</span>
      {notice.undo ? (
        <button type="button" className="button button-small" onClick={onUndo} aria-keyshortcuts="u" data-testid="undo">
          Undo <kbd aria-hidden="true">U</kbd>
        </button>
      ) : null}
      <button type="button" className="button button-ghost button-small" aria-label="Dismiss this message" onClick={onClose}>
        ×
      </button>
    </div>
  );
}
