import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.js';
import { accountApi } from './client/account.js';
import { SignInPage } from './pages/SignIn.js';
import { library } from './store/library.js';
import './styles.css';
import './styles/account.css';

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');

/** Signed in: the library (its store starts loading before the first render). Not: set-up or sign-in first. */
async function start(container: HTMLElement) {
  const status = await accountApi.status().catch(() => ({ setupRequired: false, signedIn: true }));
  if (status.signedIn) library.ensureLoaded();
  createRoot(container).render(<StrictMode>{status.signedIn ? <App /> : <SignInPage setupRequired={status.setupRequired} />}</StrictMode>);
}

void start(root);
