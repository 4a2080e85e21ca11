// "Keep for offline": how much of the Photos page this device keeps for when it has no connection (lib/offline.ts), a
// setting of this browser alone, with what is kept now.
import { useEffect, useState } from 'react';
import { formatBytes } from '../../lib/format.js';
import { DEFAULT_OFFLINE_BYTES, OFFLINE_CHOICES, offlineBytes, offlineLimit, setOfflineLimit } from '../../lib/offline.js';

export function OfflineSetting() {
  const [limit, setLimit] = useState<number | null>(null);
  const [kept, setKept] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    offlineLimit().then(setLimit, () => setLimit(DEFAULT_OFFLINE_BYTES));
    offlineBytes().then(setKept, () => setKept(null));
  }, []);
  if (typeof caches === 'undefined' || limit === null) return null;
  const choose = (bytes: number) => {
    setLimit(bytes);
    setOfflineLimit(bytes).then(
      () => offlineBytes().then(setKept),
      (caught: unknown) => setError(String(caught)),
    );
  };
  return (
    <label className="auth-field">
      Keep for offline on this device (the photos you viewed last, as thumbnails)
      <select value={limit} onChange={(event) => choose(Number(event.target.value))} data-testid="offline-limit">
        {OFFLINE_CHOICES.map((bytes) => (
          <option key={bytes} value={bytes}>
            {bytes === 0 ? 'Off' : formatBytes(bytes)}
          </option>
        ))}
      </select>
      {kept !== null ? <span className="muted">{formatBytes(kept)} kept now</span> : null}
      {error ? (
        <span className="auth-error" role="alert">
          {error}
        </span>
      ) : null}
    </label>
  );
}
