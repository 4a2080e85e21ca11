// Each file of a backup with what became of it: waiting, sent (with its progress), done, already there, skipped,
// refused or stopped, and why.
import type { BackupItem, BackupStatus } from '../../hooks/useBackup.js';
import { formatBytes } from '../../lib/format.js';

const WORDS: Record<BackupStatus, string> = {
  waiting: 'Looking at it…',
  new: 'To send',
  sending: 'Sending',
  done: 'Done',
  here: 'Already here',
  skipped: 'Skipped',
  refused: 'Refused',
  stopped: 'Stopped',
};

const CLASSES: Partial<Record<BackupStatus, string>> = {
  done: 'upload-ok',
  here: 'upload-duplicate',
  refused: 'upload-error',
  skipped: 'muted',
  stopped: 'muted',
};

export function BackupList({ items }: { items: readonly BackupItem[] }) {
  return (
    <ul className="upload-list backup-list" data-testid="backup-list">
      {items.map((item, index) => (
        <li key={`${index}:${item.name}`} className={`upload-row${item.status === 'refused' ? ' upload-row-refused' : ''}`} data-status={item.status}>
          <span className="upload-row-name" title={item.name}>
            {item.name}
          </span>
          <span className="upload-row-size">{formatBytes(item.size)}</span>
          <span className="upload-row-status">
            <span className={CLASSES[item.status]}>
              {WORDS[item.status]}
              {item.reason ? `: ${item.reason}` : ''}
            </span>
            {item.status === 'sending' ? <progress max={item.size || 1} value={item.sent} aria-label={`${item.name} sent`} /> : null}
          </span>
        </li>
      ))}
    </ul>
  );
}
