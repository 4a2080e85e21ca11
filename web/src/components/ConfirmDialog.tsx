import type { ReactNode } from 'react';
import { Dialog } from './Dialog.js';

interface Props {
  open: boolean;
  title: string;
  children: ReactNode;
  confirmLabel: string;
  danger?: boolean;
  busy?: boolean;
  onConfirm: () => void;
  onCancel: () => void;
}

/** A modal question: Cancel (focused first) or the confirming button; Escape and the backdrop cancel. */
export function ConfirmDialog({ open, title, children, confirmLabel, danger, busy, onConfirm, onCancel }: Props) {
  return (
    <Dialog
      open={open}
      title={title}
      busy={busy}
      onCancel={onCancel}
      cancelAutoFocus
      action={{ label: confirmLabel, danger, onAction: onConfirm, testId: 'confirm' }}
    >
      <div className="dialog-text">{children}</div>
    </Dialog>
  );
}
