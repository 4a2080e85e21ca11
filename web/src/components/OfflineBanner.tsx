// The app's offline state: a banner while the browser has no connection (what is shown is what this device kept, and
// changes need the server), and, once back, the pages on screen load again by themselves.
import { useEffect, useRef } from 'react';
import { useOnline } from '../lib/offline.js';
import { library } from '../store/library.js';

export function OfflineBanner() {
  const online = useOnline();
  const wasOffline = useRef(!online);
  useEffect(() => {
    if (!online) wasOffline.current = true;
    else if (wasOffline.current) {
      wasOffline.current = false;
      void library.refresh();
    }
  }, [online]);
  if (online) return null;
  return (
    <div className="notice notice-warning offline-banner" role="status" data-testid="offline-banner">
      <div className="notice-body">
        <p>
          <strong>You're offline.</strong> Shown: the photos this device kept from your last visits. Changes need a connection.
        </p>
      </div>
    </div>
  );
}
