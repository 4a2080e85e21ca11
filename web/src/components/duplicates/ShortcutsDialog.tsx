import { Dialog } from '../Dialog.js';

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
  return (
    <Dialog
      open={open}
      title="Keyboard shortcuts"
      onCancel={onClose}
      cancelLabel={null}
      action={{ label: 'Close', onAction: onClose, autoFocus: true }}
      className="dup-shortcuts"
      testId="shortcuts"
    >
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
    </Dialog>
  );
}
