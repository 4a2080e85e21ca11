// A short message at the bottom of the screen after a bulk action, with a link and an undo when there is one.
import { useEffect, useState } from 'react';
import { Link } from '../../lib/router.js';

export interface ToastMessage {
  text: string;
  error?: boolean;
  link?: { to: string; label: string };
  /** Takes the action back; answers what it did. */
  undo?: () => Promise<string>;
}

/** Good news goes away by itself after a while; an error stays until closed. */
const SHOW_MS = 8000;

export function Toast({ message, onClose }: { message: ToastMessage; onClose: () => void }) {
  const [current, setCurrent] = useState(message);
  const [undoing, setUndoing] = useState(false);
  useEffect(() => setCurrent(message), [message]);
  useEffect(() => {
    if (current.error || undoing) return;
    const timer = setTimeout(onClose, SHOW_MS);
    return () => clearTimeout(timer);
  }, [current, undoing, onClose]);

  const undo = async () => {
    if (!current.undo) return;
    setUndoing(true);
    try {
      setCurrent({ text: await current.undo() });
    } catch (error) {
      setCurrent({ text: error instanceof Error ? error.message : String(error), error: true });
    } finally {
      setUndoing(false);
    }
  };

  return (
    <div className={`toast${current.error ? ' toast-error' : ''}`} role={current.error ? 'alert' : 'status'} data-testid="toast">
      <p className="toast-text">{current.text}</p>
      {current.link ? (
        <Link to={current.link.to} className="toast-link">
          {current.link.label}
        </Link>
      ) : null}
      {current.undo ? (
        <button type="button" className="button button-ghost" onClick={() => void undo()} disabled={undoing} data-testid="toast-undo">
          {undoing ? 'Undoing…' : 'Undo'}
        </button>
      ) : null}
      <button type="button" className="button button-ghost toast-close" onClick={onClose} aria-label="Dismiss">
        ×
      </button>
    </div>
  );
}
