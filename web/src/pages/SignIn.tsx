import { useEffect, useState, type FormEvent } from 'react';
import { ApiError } from '../api.js';
import { accountApi, type AuthStatus, type LibraryPurpose } from '../client/account.js';
import { featureLabel } from '../components/jobs/steps.js';
import { formatBytes, plural } from '../lib/format.js';

interface Props {
  setupRequired: boolean;
  singleSignOn?: AuthStatus['singleSignOn'];
  /** Set-up only: models the admin may download now (the configured CLIP model while it is missing). */
  offeredModels?: AuthStatus['offeredModels'];
  /** Set-up only: photos a library from before accounts holds (they become the admin's). */
  photosBeforeSetUp?: number;
}

const PURPOSES: readonly { value: LibraryPurpose; label: string; detail: string }[] = [
  { value: 'family', label: 'Family photos', detail: 'Photos and videos to keep, find and share.' },
  { value: 'products', label: 'Products and catalogue', detail: 'Product shots, image generation and a catalogue for a shop.' },
  { value: 'both', label: 'Both', detail: 'Everything; the creation tools can be switched off later in Account.' },
];

/**
 * The page before the library: set-up (the server's first admin) or sign-in. On success the page loads again,
 * now with the session cookie, and the library shows. Set-up offers the missing models, unticked: nothing is
 * downloaded without the admin's word (the egress rule).
 */
export function SignInPage({ setupRequired, singleSignOn, offeredModels = [], photosBeforeSetUp = 0 }: Props) {
  useEffect(() => {
    document.title = `${setupRequired ? 'Set up' : 'Sign in'} · Shoebox`;
  }, [setupRequired]);
  const [name, setName] = useState('');
  const [install, setInstall] = useState<ReadonlySet<string>>(new Set());
  const [purpose, setPurpose] = useState<LibraryPurpose>('family');
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
      if (setupRequired) await accountApi.setup({ name, email, password, installModels: [...install], purpose });
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
        {setupRequired ? (
          <p className="muted" data-testid="setup-intro">
            Create the admin account.
            {photosBeforeSetUp > 0 ? ` The ${plural(photosBeforeSetUp, 'photo', 'photos')} already in this library become yours.` : null}
          </p>
        ) : null}
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
        {setupRequired ? (
          <fieldset className="auth-models" data-testid="setup-purpose">
            <legend>What is this library for?</legend>
            {PURPOSES.map((option) => (
              <label key={option.value} className="auth-model">
                <input type="radio" name="purpose" value={option.value} checked={purpose === option.value} onChange={() => setPurpose(option.value)} />
                <span>
                  {option.label}
                  <span className="muted"> {option.detail}</span>
                </span>
              </label>
            ))}
          </fieldset>
        ) : null}
        {setupRequired && offeredModels.length > 0 ? (
          <fieldset className="auth-models" data-testid="setup-models">
            <legend>Smart search</legend>
            {offeredModels.map((model) => (
              <label key={model.name} className="auth-model">
                <input
                  type="checkbox"
                  name="installModels"
                  value={model.name}
                  checked={install.has(model.name)}
                  onChange={(e) => {
                    const next = new Set(install);
                    if (e.target.checked) next.add(model.name);
                    else next.delete(model.name);
                    setInstall(next);
                  }}
                />
                <span>
                  Download {model.name} now: about {formatBytes(model.sizeBytes)}, once, from Hugging Face.
                  <span className="muted">
                    {' '}
                    It enables {model.enables.map(featureLabel).join(', ')}. Without it, photos are still kept, found by text and sorted.
                  </span>
                </span>
              </label>
            ))}
          </fieldset>
        ) : null}
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
