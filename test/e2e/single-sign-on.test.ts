// Single sign-on against a real OpenID provider on loopback (oidc-provider, OpenID certified), in a real browser:
// the authorization code flow with PKCE, auto-registration with the role and quota from claims, linking an
// existing account by verified email, matching by subject after the email changed, and the refusals.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminSession, launchBrowser, openPage, poll } from '../helpers/browser.js';
import { startOidcProvider, type TestProvider } from '../helpers/oidc-provider.js';
import { json, startTestServer, type TestServer, withoutFacesOrText } from '../helpers/server.js';

describe('single sign-on (OpenID Connect)', () => {
  let server: TestServer;
  let provider: TestProvider;
  let browser: Browser;
  let admin: { headers: Record<string, string> };

  const users = async () =>
    (await json(`${server.url}/api/admin/users`, admin)).body.items as { id: string; email: string; role: string; quotaBytes: number | null }[];

  /** Signs in through the provider's login and consent pages in a fresh browser; answers the page where it lands. */
  async function signInAs(login: string): Promise<Page> {
    const context = await browser.newContext();
    const { page } = await openPage(context, { allowConsole: [/./] });
    await page.goto(server.url);
    await page.getByTestId('single-sign-on').click();
    await page.locator('input[name="login"]').fill(login);
    await page.locator('input[name="password"]').fill('anything');
    await page.locator('button[type="submit"]').click();
    // the consent page, the first time a client asks for these scopes
    await page.waitForURL((url) => url.origin === server.url || url.pathname.includes('/interaction/'));
    if (!page.url().startsWith(server.url)) await page.locator('button[type="submit"]').click();
    await page.waitForURL((url) => url.origin === server.url, { timeout: 20_000 });
    return page;
  }

  beforeAll(async () => {
    server = await startTestServer(withoutFacesOrText());
    admin = { headers: { cookie: `shoebox_session=${await adminSession(server.url)}`, origin: server.url } };
    provider = await startOidcProvider({ redirectUri: `${server.url}/api/auth/oidc/callback`, clientId: 'shoebox', clientSecret: 'shoebox client secret' });
    browser = await launchBrowser();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await provider?.close();
    await server?.dispose();
  });

  it('is configured by an admin, and keeps the client secret to itself', async () => {
    expect((await json(`${server.url}/api/auth/oidc/start`, { anonymous: true })).status).toBe(409);
    const saved = await json(`${server.url}/api/admin/oidc`, {
      method: 'PUT',
      json: {
        enabled: true,
        issuer: provider.issuer,
        clientId: 'shoebox',
        clientSecret: 'shoebox client secret',
        scope: 'email profile shoebox',
        buttonLabel: 'Sign in with Test ID',
        roleClaim: 'shoebox_role',
        quotaClaim: 'shoebox_quota',
        autoRegister: true,
      },
      ...admin,
    });
    expect(saved.status).toBe(200);
    expect(saved.body).toMatchObject({ enabled: true, hasClientSecret: true, callbackPath: '/api/auth/oidc/callback' });
    expect(JSON.stringify(saved.body)).not.toContain('shoebox client secret');
    expect((await json(`${server.url}/api/auth/status`, { anonymous: true })).body.singleSignOn).toEqual({
      enabled: true,
      buttonLabel: 'Sign in with Test ID',
    });
    // the admin's account page shows the settings, the redirect URI to register, and no secret
    const context = await browser.newContext();
    await context.addCookies([{ name: 'shoebox_session', value: admin.headers.cookie!.split('=')[1]!, url: server.url, httpOnly: true, sameSite: 'Lax' }]);
    const { page } = await openPage(context);
    await page.goto(`${server.url}/account`);
    const section = page.getByRole('region', { name: 'Single sign-on' });
    await poll(() => section.getByLabel('Issuer URL').inputValue()).toBe(provider.issuer);
    expect(await section.textContent()).toContain(`${server.url}/api/auth/oidc/callback`);
    expect(await section.textContent()).toContain('set; type a new one to replace it');
    await context.close();
    // an http issuer elsewhere than this machine is refused
    const insecure = await json(`${server.url}/api/admin/oidc`, { method: 'PUT', json: { issuer: 'http://auth.example.org' }, ...admin });
    expect(insecure.status).toBe(400);
  });

  it('registers a new user on the first sign-in, with the role and quota the claims give', async () => {
    provider.accounts.set('carol', {
      email: 'Carol@Example.org',
      email_verified: true,
      name: 'Carol',
      shoebox_role: ['staff', 'admin'],
      shoebox_quota: '50GB',
    });
    const page = await signInAs('carol');
    await poll(() => page.getByTestId('library-counts').isVisible()).toBe(true);
    const carol = (await users()).find((u) => u.email === 'carol@example.org');
    expect(carol).toMatchObject({ role: 'admin', quotaBytes: 50e9 });
    // the session is real: the account page's API answers as Carol
    const me = await page.evaluate(async () => (await fetch('/api/auth/me')).json());
    expect(me).toMatchObject({ email: 'carol@example.org', via: 'session' });
    await page.context().close();
  });

  it('links an existing account by verified email, then knows it by subject even after the email changes', async () => {
    const created = await json(`${server.url}/api/admin/users`, {
      method: 'POST',
      json: { name: 'Dave', email: 'dave@example.org', password: 'dave password 1' },
      ...admin,
    });
    provider.accounts.set('dave-sub', { email: 'dave@example.org', email_verified: true, name: 'Dave' });
    let page = await signInAs('dave-sub');
    expect(await page.evaluate(async () => (await (await fetch('/api/auth/me')).json()).id)).toBe(created.body.id);
    await page.context().close();
    provider.accounts.set('dave-sub', { email: 'dave@new.example.org', email_verified: true, name: 'Dave' });
    page = await signInAs('dave-sub');
    expect(await page.evaluate(async () => (await (await fetch('/api/auth/me')).json()).id)).toBe(created.body.id);
    await page.context().close();
    expect((await users()).filter((u) => u.email.startsWith('dave'))).toHaveLength(1);
  });

  it('refuses an unverified email for an existing account, and strangers when auto-registration is off', async () => {
    await json(`${server.url}/api/admin/users`, { method: 'POST', json: { name: 'Erin', email: 'erin@example.org', password: 'erin password 1' }, ...admin });
    provider.accounts.set('mallory', { email: 'erin@example.org', email_verified: false, name: 'Not Erin' });
    let page = await signInAs('mallory');
    await poll(() => page.getByRole('alert').textContent()).toContain('has not verified erin@example.org');
    expect(await page.evaluate(async () => (await fetch('/api/auth/me')).status)).toBe(401);
    await page.context().close();

    await json(`${server.url}/api/admin/oidc`, { method: 'PUT', json: { autoRegister: false }, ...admin });
    provider.accounts.set('frank', { email: 'frank@example.org', email_verified: true });
    page = await signInAs('frank');
    await poll(() => page.getByRole('alert').textContent()).toContain('ask an admin to create one');
    await page.context().close();
    expect((await users()).map((u) => u.email)).not.toContain('frank@example.org');
  });
});
