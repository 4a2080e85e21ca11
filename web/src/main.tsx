import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.js';
import { accountApi, type AuthStatus } from './client/account.js';
import { SignInPage } from './pages/SignIn.js';
import { library } from './store/library.js';
import './styles.css';
import './styles/account.css';
import './styles/libraries.css';

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
  const status = await accountApi.status().catch((): AuthStatus => ({
    setupRequired: false,
    signedIn: true,
    singleSignOn: { enabled: false, buttonLabel: '' },
    offeredModels: [],
    photosBeforeSetUp: 0,
  }));
  if (status.signedIn) library.ensureLoaded();
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
