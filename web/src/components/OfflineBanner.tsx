// The app's offline state: a banner while the server cannot be reached (lib/reachable.ts) (what is shown is what this device kept),
// with the changes waiting to be sent, and what the server refused of them once sent; once back, the pages on screen
// load again by themselves.
import { useEffect, useRef } from 'react';
import { useReachable } from '../lib/reachable.js';
import { library } from '../store/library.js';
import { dismissOfflineFailures, sendAsOwner, sendOfflineChangesWhenBack, useOfflineChanges } from '../store/offlineChanges.js';

const changes = (n: number) => `${n} ${n === 1 ? 'change' : 'changes'}`;

export function OfflineBanner() {
  const online = useReachable();
  const { waiting, failed } = useOfflineChanges();
  const wasOffline = useRef(!online);
  // signed in (this banner is the app's): what waits is sent now and each time the server answers again
  useEffect(() => sendOfflineChangesWhenBack(), []);
  useEffect(() => {
    if (!online) wasOffline.current = true;
    else if (wasOffline.current) {
      wasOffline.current = false;
      // the changes kept first, so that the reload shows them done rather than undone for a moment
      void sendAsOwner().finally(() => void library.refresh());
    }
  }, [online]);
  return (
    <>
      {!online || waiting.length > 0 ? (
        <div className="notice notice-warning offline-banner" role="status" data-testid="offline-banner">
          <div className="notice-body">
            {!online ? (
              <p>
                <strong>{navigator.onLine ? 'The Shoebox server does not answer.' : "You're offline."}</strong> Shown: the photos this device kept from your
                last visits. Favourites, the trash and adding to albums wait to be sent; other changes need a connection.
              </p>
            ) : null}
            {waiting.length > 0 ? (
              <p data-testid="offline-waiting">
                {changes(waiting.length)} waiting to be sent{online ? '…' : ' once back online.'}
              </p>
            ) : null}
          </div>
        </div>
      ) : null}
      {failed.length > 0 ? (
        <div className="notice notice-warning offline-banner" role="alert" data-testid="offline-failed">
          <div className="notice-body">
            {failed.map((line, i) => (
              <p key={i}>{line}</p>
            ))}
          </div>
          <button type="button" className="button button-ghost notice-close" onClick={dismissOfflineFailures}>
            Close
          </button>
        </div>
      ) : null}
    </>
  );
}
