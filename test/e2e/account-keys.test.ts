// The account page's API keys in a real browser: when each was made and last used, the server's own key marked,
// and a password change that says how many keys it revoked and takes them off the list.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, openPage, poll, signedInContext, TEST_ADMIN } from '../helpers/browser.js';
import { json, startTestServer, type TestServer, withoutFacesOrText } from '../helpers/server.js';

describe('web app: API keys on the account page', () => {
  let browser: Browser;
  let server: TestServer;

  beforeAll(async () => {
    browser = await launchBrowser();
    server = await startTestServer(withoutFacesOrText());
  });

  afterAll(async () => {
    await browser?.close();
    await server?.dispose();
  });

  it('lists keys with their last use, and a password change revokes them', async () => {
    const context = await signedInContext(browser, server);
    const cookie = (await context.cookies()).find((c) => c.name === 'shoebox_session')!;
    const session = { cookie: `shoebox_session=${cookie.value}`, origin: server.url };
    const used = await json(`${server.url}/api/api-keys`, { method: 'POST', json: { name: 'backup script', scopes: ['read'] }, headers: session });
    await json(`${server.url}/api/api-keys`, { method: 'POST', json: { name: 'idle script', scopes: ['read'] }, headers: session });
    expect((await json(`${server.url}/api/photos`, { headers: { 'x-api-key': used.body.key } })).status).toBe(200);

    const { page, errors } = await openPage(context);
    await page.goto(`${server.url}/account`);
    const keys = page.getByTestId('api-keys');
    const row = (name: string) => keys.getByRole('listitem').filter({ hasText: name });
    await poll(() => row('backup script').getByTestId('api-key-last-used').textContent()).toMatch(/^last used /);
    expect(await row('idle script').getByTestId('api-key-last-used').textContent()).toBe('never used');
    expect(await row('backup script').textContent()).toMatch(/made /);
    expect(await row('this machine (CLI)').textContent()).toMatch(/own key for its CLI/);

    await page.getByLabel('Current password').fill(TEST_ADMIN.password);
    await page.getByLabel('New password').fill('another long password');
    await page.getByRole('button', { name: 'Change password' }).click();
    await poll(() => page.getByRole('status').filter({ hasText: 'Password changed' }).textContent()).toMatch(/2 API keys revoked/);
    await poll(() => keys.getByRole('listitem').count()).toBe(1);
    expect((await json(`${server.url}/api/photos`, { headers: { 'x-api-key': used.body.key } })).status).toBe(401);
    expect(errors).toEqual([]);
    await context.close();
  });
});
