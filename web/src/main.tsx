import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.js';
import { accountApi, type AuthStatus } from './client/account.js';
import { syncKeptAgain } from './client/backupHandOver.js';
import { SignInPage } from './pages/SignIn.js';
import { forgetKeptCopies, rememberSignedIn, signedInWhenLastAsked } from './lib/offline.js';
import { library } from './store/library.js';
import './styles.css';
import './styles/account.css';
import './styles/libraries.css';

declare global {
  interface Window {
    /** The URL of the app's code this page runs (its name carries the build's hash): what an upgrade test reads. */
    __shoeboxEntry?: string;
  }
}
window.__shoeboxEntry = import.meta.url;

// The service worker (sw.ts): installable app, Share → Shoebox, pages always fresh. A browser without one (or a
// page not served over HTTPS or from localhost) simply goes without.
if ('serviceWorker' in navigator) {
  window.addEventListener('load', () => void navigator.serviceWorker.register('/sw.js', { scope: '/' }).catch(() => undefined), { once: true });
}

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');

/**
 * A share link's visitor page stands alone (no account). Otherwise, signed in: the library (its store starts
 * loading before the first render); not: set-up or sign-in first.
 */
async function start(container: HTMLElement) {
  const link = /^\/s\/([^/]+)\/?$/.exec(window.location.pathname);
  if (link) {
    const { SharedLinkPage } = await import('./pages/SharedLink.js');
    createRoot(container).render(
      <StrictMode>
        <SharedLinkPage token={decodeURIComponent(link[1]!)} />
      </StrictMode>,
    );
    return;
  }
  // the server cannot be asked (offline, or down): signed in as when it last said so, from what this browser kept
  const status = await accountApi.status().catch((): AuthStatus => ({
    setupRequired: false,
    signedIn: signedInWhenLastAsked(),
    singleSignOn: { enabled: false, buttonLabel: '' },
    offeredModels: [],
    photosBeforeSetUp: 0,
  }));
  // signed out (a session that ended, another user about to sign in): what this browser kept of a library goes
  if (!status.signedIn) void forgetKeptCopies().catch(() => undefined);
  else rememberSignedIn();
  if (!status.signedIn && window.location.pathname === '/share') {
    // shared files for an upload link: a visitor without an account sends them through it (pages/Share.tsx)
    const { SharePage } = await import('./pages/Share.js');
    createRoot(container).render(
      <StrictMode>
        <SharePage signedIn={false} />
      </StrictMode>,
    );
    return;
  }
  if (status.signedIn) {
    library.ensureLoaded();
    // a backup's files still kept for the service worker: its sync again (the browser may have given it up)
    void syncKeptAgain().catch(() => undefined);
  }
  createRoot(container).render(
    <StrictMode>
      {status.signedIn ? (
        <App />
      ) : (
        <SignInPage
          setupRequired={status.setupRequired}
          singleSignOn={status.singleSignOn}
          offeredModels={status.offeredModels}
          photosBeforeSetUp={status.photosBeforeSetUp}
        />
      )}
    </StrictMode>,
  );
}

void start(root);
