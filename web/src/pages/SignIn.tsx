import { useState, type FormEvent } from 'react';
import { ApiError } from '../api.js';
import { accountApi } from '../client/account.js';

/**
 * The page before the library: set-up (the server's first admin) or sign-in. On success the page loads again,
 * now with the session cookie, and the library shows.
 */
export function SignInPage({ setupRequired, singleSignOn }: { setupRequired: boolean; singleSignOn?: { enabled: boolean; buttonLabel: string } }) {
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  // a single sign-on that did not succeed comes back here with its reason
  const [error, setError] = useState<string | null>(() => new URLSearchParams(window.location.search).get('signInError'));
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      if (setupRequired) await accountApi.setup({ name, email, password });
      else await accountApi.login({ email, password });
      window.location.reload();
    } catch (caught) {
      setError(caught instanceof ApiError ? caught.message : String(caught));
      setBusy(false);
    }
  };

  return (
    <main className="auth-page">
      <form className="auth-card panel" onSubmit={submit} aria-labelledby="auth-title">
        <h1 id="auth-title">{setupRequired ? 'Set up Shoebox' : 'Sign in to Shoebox'}</h1>
        {setupRequired ? <p className="muted">Create the admin account. Photos already in this library become yours.</p> : null}
        {setupRequired ? (
          <label className="auth-field">
            Name
            <input name="name" autoComplete="name" required value={name} onChange={(e) => setName(e.target.value)} />
          </label>
        ) : null}
        <label className="auth-field">
          Email
          <input name="email" type="email" autoComplete="username" required value={email} onChange={(e) => setEmail(e.target.value)} />
        </label>
        <label className="auth-field">
          Password
          <input
            name="password"
            type="password"
            autoComplete={setupRequired ? 'new-password' : 'current-password'}
            minLength={setupRequired ? 8 : undefined}
            required
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
        </label>
        {error ? (
          <p className="auth-error" role="alert">
            {error}
          </p>
        ) : null}
        <button type="submit" className="button button-primary" disabled={busy}>
          {setupRequired ? 'Create the admin and sign in' : 'Sign in'}
        </button>
        {!setupRequired && singleSignOn?.enabled ? (
          <a
            className="button"
            href={`/api/auth/oidc/start?returnTo=${encodeURIComponent(window.location.pathname === '/' ? '/' : window.location.pathname + window.location.search)}`}
            data-testid="single-sign-on"
          >
            {singleSignOn.buttonLabel}
          </a>
        ) : null}
      </form>
    </main>
  );
}
