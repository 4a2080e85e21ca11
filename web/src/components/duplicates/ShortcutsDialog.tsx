import { useModalDialog } from '../../hooks/useModalDialog.js';

export const SHORTCUTS: readonly { keys: string[]; does: string }[] = [
  { keys: ['j', '↓'], does: 'next group' },
  { keys: ['k', '↑'], does: 'previous group' },
  { keys: ['←', '→'], does: 'choose the photo to keep' },
  { keys: ['1', '…', '9'], does: 'keep that photo (and what it is no copy of: a RAW, an original)' },
  { keys: ['Shift', '+', '1…9'], does: 'keep that photo too, or not' },
  { keys: ['Enter'], does: 'keep the chosen, move the copies they replace to the trash' },
  { keys: ['d'], does: 'not duplicates (or unstack a burst)' },
  { keys: ['u'], does: 'undo the last “move to the trash”' },
  { keys: ['?'], does: 'show or hide these shortcuts' },
];

/** The keyboard shortcuts of the review, in a modal that Escape closes. */
export function ShortcutsDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const dialog = useModalDialog(open);
  return (
    <dialog
      ref={dialog}
      className="dialog dup-shortcuts"
      aria-labelledby="shortcuts-title"
      data-testid="shortcuts"
      onClose={onClose}
      onClick={(event) => {
        if (event.target === dialog.current) onClose();
      }}
    >
      <div className="dialog-body">
        <h2 id="shortcuts-title">Keyboard shortcuts</h2>
        <table className="dup-shortcut-table">
          <tbody>
            {SHORTCUTS.map((shortcut) => (
              <tr key={shortcut.does}>
                <th scope="row">
                  {shortcut.keys.map((key, i) =>
                    key === '+' || key === '…' ? (
                      <span key={i} className="muted">
                        {' '}
                        {key}{' '}
                      </span>
                    ) : (
                      <kbd key={i}>{key}</kbd>
                    ),
                  )}
                </th>
                <td>{shortcut.does}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <div className="dialog-actions">
          <button type="button" className="button button-primary" onClick={onClose} autoFocus>
            Close
          </button>
        </div>
      </div>
    </dialog>
  );
}
