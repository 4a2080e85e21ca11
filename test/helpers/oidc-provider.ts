// A real OpenID provider on loopback for the single sign-on tests: panva's oidc-provider (OpenID certified),
// with its development login pages (any password; the login name is the account's subject).
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';

export interface TestAccount {
  email?: string;
  email_verified?: boolean;
  name?: string;
  shoebox_role?: string | string[];
  shoebox_quota?: string | number;
}

export interface TestProvider {
  issuer: string;
  /** The accounts by login name (their subject); change them between sign-ins. */
  accounts: Map<string, TestAccount>;
  close(): Promise<void>;
}

export async function startOidcProvider(options: { redirectUri: string; clientId: string; clientSecret: string }): Promise<TestProvider> {
  const accounts = new Map<string, TestAccount>();
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: options.clientId,
        client_secret: options.clientSecret,
        redirect_uris: [options.redirectUri],
        grant_types: ['authorization_code'],
        response_types: ['code'],
      },
    ],
    scopes: ['openid', 'email', 'profile', 'shoebox'],
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'], shoebox: ['shoebox_role', 'shoebox_quota'] },
    findAccount: async (_ctx: unknown, sub: string) => ({
      accountId: sub,
      claims: async () => ({ sub, ...(accounts.get(sub) ?? {}) }),
    }),
    cookies: { keys: ['shoebox test provider cookie key'] },
    features: { devInteractions: { enabled: true } },
  });
  server.on('request', provider.callback());
  return {
    issuer,
    accounts,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
