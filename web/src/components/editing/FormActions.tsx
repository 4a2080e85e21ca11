/** Save and Cancel under an inline form (a name, an album's description): both off while it saves. */
export function FormActions({ busy, onCancel }: { busy: boolean; onCancel: () => void }) {
  return (
    <div className="name-form-actions">
      <button type="submit" className="button button-primary name-form-button" disabled={busy}>
        {busy ? 'Saving…' : 'Save'}
      </button>
      <button type="button" className="button name-form-button" onClick={onCancel} disabled={busy}>
        Cancel
      </button>
    </div>
  );
}
