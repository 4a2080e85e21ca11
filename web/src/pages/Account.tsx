import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { ApiError } from '../api.js';
import { accountApi, type ApiKeyInfo, type Me, type SessionInfo } from '../client/account.js';
import { exportUrls } from '../client/exports.js';
import { UsersAdmin } from '../components/account/UsersAdmin.js';
import { SingleSignOnAdmin } from '../components/account/SingleSignOnAdmin.js';
import { MapAdmin } from '../components/account/MapAdmin.js';
import { OfflineSetting } from '../components/account/OfflineSetting.js';
import { SavedCheckbox } from '../components/SavedCheckbox.js';
import { forgetOffline } from '../lib/offline.js';
import { formatBytes } from '../lib/format.js';
import { Link } from '../lib/router.js';
import { switchCreationTools } from '../client/create.js';
import { creationToolsSwitched, setCreationChoice, useCreationChoice, useCreationTools, type CreationChoice } from '../store/creationTools.js';

const message = (caught: unknown) => (caught instanceof ApiError ? caught.message : String(caught));

/** The signed-in account: who, sign out, password, sessions, API keys; for admins, the server's users too. */
export function AccountPage() {
  const [me, setMe] = useState<Me | null>(null);
  const [error, setError] = useState<string | null>(null);
  /** Bumped when a password change revoked keys: the list loads again. */
  const [keysVersion, setKeysVersion] = useState(0);
  useEffect(() => {
    document.title = 'Account · Shoebox';
    accountApi.me().then(setMe, (caught: unknown) => setError(message(caught)));
  }, []);
  if (error) return <p className="panel panel-error">{error}</p>;
  if (!me) return <div className="page-loading" role="status" aria-label="Loading account" />;
  return (
    <main className="page page-narrow account-page">
      <div className="page-head">
        <div>
          <h1>Account</h1>
          <p className="page-head-sub">
            {me.name} · {me.email} · {me.role === 'admin' ? 'admin' : 'user'} · {formatBytes(me.usedBytes)}
            {me.quotaBytes !== null ? ` of ${formatBytes(me.quotaBytes)}` : ''} used
          </p>
        </div>
        <button
          type="button"
          className="button"
          onClick={() =>
            // signed out first: refused (no server), the user is still signed in, and what waits to be sent stays
            accountApi
              .logout()
              .then(() => forgetOffline())
              .then(
                () => window.location.assign('/'),
                (caught: unknown) => setError(message(caught)),
              )
          }
        >
          Sign out
        </button>
      </div>
      <section className="card account-section" aria-labelledby="settings-title">
        <h2 id="settings-title">Settings</h2>
        <div className="account-settings">
          <Link to="/settings/libraries" className="button">
            Libraries in place
          </Link>
          <CreationToolsChoice isAdmin={me.role === 'admin'} />
          <OfflineSetting />
        </div>
      </section>
      <section className="card account-section" aria-labelledby="export-title">
        <h2 id="export-title">Your photos out</h2>
        <p className="muted">
          Every photo you own as it came in, in a folder per album (the rest by date), each with an XMP sidecar that digiKam, Lightroom and Immich read (dates,
          places, ratings, keywords, people), albums.json and a manifest of checksums. For a large library, <code>shoebox export</code> goes on where it
          stopped; this download starts again.
        </p>
        <div className="account-settings">
          <a className="button" href={exportUrls.all('album')} download data-testid="export-all">
            Export everything (ZIP)
          </a>
          <Link to="/import" className="button">
            Import from Google Photos or iCloud
          </Link>
        </div>
      </section>
      <PasswordForm onChanged={() => setKeysVersion((v) => v + 1)} />
      <Sessions />
      <ApiKeys isAdmin={me.role === 'admin'} version={keysVersion} />
      {me.role === 'admin' ? <UsersAdmin selfId={me.id} /> : null}
      {me.role === 'admin' && me.via === 'session' ? <SingleSignOnAdmin /> : null}
      {me.role === 'admin' ? <MapAdmin /> : null}
    </main>
  );
}

/**
 * Whether the library uses the creation tools (the admin's switch, for everyone) and, where it does, whether they
 * stand in the main navigation (this browser's choice).
 */
function CreationToolsChoice({ isAdmin }: { isAdmin: boolean }) {
  const choice = useCreationChoice();
  const { on } = useCreationTools();
  const [status, setStatus] = useState<string | null>(null);
  const save = (next: boolean) =>
    switchCreationTools(next).then(
      (answer) => {
        creationToolsSwitched(answer.on);
        setStatus(null);
      },
      (caught: unknown) => {
        setStatus(message(caught));
        throw caught;
      },
    );
  return (
    <>
      {isAdmin ? (
        <SavedCheckbox checked={on} onSave={save} className="auth-model" testId="creation-tools-switch">
          Creation tools for this library: Create, product shots and the catalogue (for shops and makers)
        </SavedCheckbox>
      ) : null}
      {status ? (
        <p className="auth-error" role="alert">
          {status}
        </p>
      ) : null}
      {on ? (
        <label className="auth-field">
          Create and Catalogue in the navigation
          <select value={choice} onChange={(event) => setCreationChoice(event.target.value as CreationChoice)} data-testid="creation-tools-choice">
            <option value="main">In the main row</option>
            <option value="more">Under More</option>
          </select>
        </label>
      ) : null}
    </>
  );
}

function PasswordForm({ onChanged }: { onChanged: () => void }) {
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [status, setStatus] = useState<string | null>(null);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    try {
      const { revokedApiKeys, endedSessions } = await accountApi.changePassword(current, next);
      setCurrent('');
      setNext('');
      setStatus(
        `Password changed; ${plural(endedSessions, 'other session')} ended and ${plural(revokedApiKeys, 'API key')} revoked ` +
          '(make new keys for your scripts).',
      );
      onChanged();
    } catch (caught) {
      setStatus(message(caught));
    }
  };
  return (
    <section className="card account-section" aria-labelledby="password-title">
      <h2 id="password-title">Password</h2>
      <form className="account-form" onSubmit={submit}>
        <label className="auth-field">
          Current password
          <input type="password" autoComplete="current-password" required value={current} onChange={(e) => setCurrent(e.target.value)} />
        </label>
        <label className="auth-field">
          New password
          <input type="password" autoComplete="new-password" minLength={8} required value={next} onChange={(e) => setNext(e.target.value)} />
        </label>
        <button type="submit" className="button button-primary">
          Change password
        </button>
      </form>
      {status ? <p role="status">{status}</p> : null}
    </section>
  );
}

function Sessions() {
  const [items, setItems] = useState<SessionInfo[]>([]);
  const [error, setError] = useState<string | null>(null);
  const load = useCallback(
    () =>
      accountApi.sessions().then(
        (r) => setItems(r.items),
        (caught: unknown) => setError(message(caught)),
      ),
    [],
  );
  useEffect(() => void load(), [load]);
  return (
    <section className="card account-section" aria-labelledby="sessions-title">
      <h2 id="sessions-title">Sessions</h2>
      {error ? <p className="auth-error">{error}</p> : null}
      <ul className="account-list" data-testid="sessions">
        {items.map((session) => (
          <li key={session.id}>
            <span>
              {session.userAgent ?? 'unknown browser'} · {session.address ?? ''} · last used {new Date(session.lastSeenAt).toLocaleString()}
              {session.current ? <strong> (this one)</strong> : null}
            </span>
            {session.current ? null : (
              <button type="button" className="button button-small" onClick={() => accountApi.revokeSession(session.id).then(load)}>
                Sign out
              </button>
            )}
          </li>
        ))}
      </ul>
      <button type="button" className="button" onClick={() => accountApi.revokeOtherSessions().then(load)}>
        Sign out everywhere else
      </button>
    </section>
  );
}

const SCOPES = ['read', 'upload', 'write', 'admin'] as const;

const plural = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`;

function ApiKeys({ isAdmin, version }: { isAdmin: boolean; version: number }) {
  const [items, setItems] = useState<ApiKeyInfo[]>([]);
  const [name, setName] = useState('');
  const [scopes, setScopes] = useState<string[]>(['read']);
  const [created, setCreated] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = useCallback(
    () =>
      accountApi.apiKeys().then(
        (r) => setItems(r.items),
        (caught: unknown) => setError(message(caught)),
      ),
    [],
  );
  useEffect(() => void load(), [load, version]);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    try {
      setCreated((await accountApi.createApiKey(name, scopes)).key);
      setName('');
      setError(null);
      await load();
    } catch (caught) {
      setError(message(caught));
    }
  };
  return (
    <section className="card account-section" aria-labelledby="keys-title">
      <h2 id="keys-title">API keys</h2>
      <p className="muted">For scripts and the CLI (x-api-key header). A key is shown once, when it is made.</p>
      <ul className="account-list" data-testid="api-keys">
        {items.map((key) => (
          <li key={key.id}>
            <span>
              <strong>{key.name}</strong> <code>{key.prefix}…</code> · {key.scopes.join(', ')} · made {new Date(key.createdAt).toLocaleDateString()} ·{' '}
              <span data-testid="api-key-last-used">{key.lastUsedAt ? `last used ${new Date(key.lastUsedAt).toLocaleString()}` : 'never used'}</span>
              {key.kind === 'local' ? <span className="muted"> · this server’s own key for its CLI (kept when the password changes)</span> : null}
            </span>
            <button type="button" className="button button-small button-danger-outline" onClick={() => accountApi.deleteApiKey(key.id).then(load)}>
              Revoke
            </button>
          </li>
        ))}
      </ul>
      <form className="account-form" onSubmit={submit}>
        <label className="auth-field">
          Name
          <input required maxLength={100} value={name} onChange={(e) => setName(e.target.value)} placeholder="backup script" />
        </label>
        <fieldset className="account-scopes">
          <legend>Scopes</legend>
          {SCOPES.filter((scope) => scope !== 'admin' || isAdmin).map((scope) => (
            <label key={scope}>
              <input
                type="checkbox"
                checked={scopes.includes(scope)}
                onChange={(e) => setScopes(e.target.checked ? [...scopes, scope] : scopes.filter((s) => s !== scope))}
              />{' '}
              {scope}
            </label>
          ))}
        </fieldset>
        <button type="submit" className="button button-primary" disabled={scopes.length === 0}>
          Make a key
        </button>
      </form>
      {created ? (
        <p role="status" className="account-new-key">
          Your new key (copy it now, it is not shown again): <code data-testid="new-api-key">{created}</code>
        </p>
      ) : null}
      {error ? <p className="auth-error">{error}</p> : null}
    </section>
  );
}
