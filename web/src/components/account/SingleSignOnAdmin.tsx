import { useEffect, useState, type FormEvent } from 'react';
import { ApiError, request } from '../../api.js';
import type { OidcConfigView } from '../../../../src/api/contract.js';

const message = (caught: unknown) => (caught instanceof ApiError ? caught.message : String(caught));

/** The admin's single sign-on settings: the provider, the client, which claims give role and quota. */
export function SingleSignOnAdmin() {
  const [config, setConfig] = useState<OidcConfigView | null>(null);
  const [secret, setSecret] = useState('');
  const [status, setStatus] = useState<{ text: string; error?: boolean } | null>(null);
  useEffect(() => {
    request<OidcConfigView>('GET', '/api/admin/oidc').then(setConfig, (caught: unknown) => setStatus({ text: message(caught), error: true }));
  }, []);
  if (!config) return null;
  const set = (changes: Partial<OidcConfigView>) => setConfig({ ...config, ...changes });

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    try {
      const { hasClientSecret: _has, callbackPath: _path, ...settings } = config;
      const saved = await request<OidcConfigView>('PUT', '/api/admin/oidc', { body: { ...settings, ...(secret ? { clientSecret: secret } : {}) } });
      setConfig(saved);
      setSecret('');
      setStatus({ text: saved.enabled ? 'Saved: the sign-in page offers single sign-on.' : 'Saved.' });
    } catch (caught) {
      setStatus({ text: message(caught), error: true });
    }
  };

  const field = (label: string, key: 'issuer' | 'clientId' | 'scope' | 'buttonLabel' | 'adminValue', placeholder?: string) => (
    <label className="auth-field">
      {label}
      <input value={config[key]} placeholder={placeholder} onChange={(event) => set({ [key]: event.target.value })} />
    </label>
  );
  return (
    <section className="card account-section" aria-labelledby="sso-title">
      <h2 id="sso-title">Single sign-on</h2>
      <p className="muted">
        OpenID Connect (Authentik, Keycloak, Authelia, Google…). Register <code>{`${window.location.origin}${config.callbackPath}`}</code> as the client’s
        redirect URI.
      </p>
      <form onSubmit={(event) => void submit(event)} className="sso-form">
        <label className="check">
          <input type="checkbox" checked={config.enabled} onChange={(event) => set({ enabled: event.target.checked })} /> Offer single sign-on
        </label>
        {field('Issuer URL', 'issuer', 'https://auth.example.org/application/o/shoebox/')}
        {field('Client id', 'clientId')}
        <label className="auth-field">
          Client secret {config.hasClientSecret ? <span className="muted">(set; type a new one to replace it)</span> : null}
          <input type="password" autoComplete="off" value={secret} onChange={(event) => setSecret(event.target.value)} />
        </label>
        {field('Scopes', 'scope')}
        {field('Button label', 'buttonLabel')}
        <label className="auth-field">
          Role claim <span className="muted">(optional)</span>
          <input value={config.roleClaim ?? ''} placeholder="groups" onChange={(event) => set({ roleClaim: event.target.value || null })} />
        </label>
        {field('Value that makes an admin', 'adminValue')}
        <label className="auth-field">
          Quota claim <span className="muted">(optional, bytes or “50GB”)</span>
          <input value={config.quotaClaim ?? ''} onChange={(event) => set({ quotaClaim: event.target.value || null })} />
        </label>
        <label className="check">
          <input type="checkbox" checked={config.autoRegister} onChange={(event) => set({ autoRegister: event.target.checked })} /> Create accounts at the first
          sign-in (else an admin creates them first, with the same email)
        </label>
        {status ? (
          <p role={status.error ? 'alert' : 'status'} className={status.error ? 'auth-error' : 'muted'}>
            {status.text}
          </p>
        ) : null}
        <button type="submit" className="button button-primary">
          Save single sign-on
        </button>
      </form>
    </section>
  );
}
