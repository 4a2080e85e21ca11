// `shoebox login URL` (stores an API key for a server) and `shoebox users …` (accounts, on the library folder:
// through the library's running server with its local key, else on the database directly — recovery without the web).
import os from 'node:os';
import readline from 'node:readline';
import { Writable } from 'node:stream';
import type { Settings } from '../config/settings.js';
import { formatBytes } from '../model/byte-size.js';
import { revokeUserApiKeys } from '../auth/api-keys.js';
import { revokeOtherSessions } from '../auth/sessions.js';
import { findUserByEmail, listUsers, updateUser, type UserWithUsage } from '../auth/users.js';
import { createAccount } from '../library/accounts/index.js';
import { openDatabase } from '../db/connection.js';
import { acquireLock } from '../base/data-lock.js';
import { ShoeboxClient } from './client.js';
import { storeKey } from './credentials.js';
import { findServer } from './target.js';
import { counted } from '../base/plural.js';

/** A line from the terminal; with `hidden`, what is typed is not echoed (passwords). Piped input works too. */
export async function prompt(question: string, hidden = false): Promise<string> {
  let muted = false;
  const output = new Writable({
    write(chunk, _encoding, done) {
      if (!muted) process.stderr.write(chunk);
      done();
    },
  });
  const rl = readline.createInterface({ input: process.stdin, output, terminal: process.stdin.isTTY === true });
  try {
    const answer = new Promise<string>((resolve) => rl.question(question, resolve));
    muted = hidden;
    const value = await answer;
    if (hidden) process.stderr.write('\n');
    return value.trim();
  } finally {
    rl.close();
  }
}

/** The password from SHOEBOX_PASSWORD (scripts), else asked for without echo. */
async function passwordInput(question: string): Promise<string> {
  return process.env.SHOEBOX_PASSWORD ?? (await prompt(question, true));
}

export async function runLogin(url: string, flags: { email?: string; name?: string }): Promise<void> {
  const base = new URL(url).origin;
  const email = flags.email ?? (await prompt('Email: '));
  const password = await passwordInput('Password: ');
  // a server that refuses, drops or stops answering is said so, and the command ends
  const server = new ShoeboxClient(base);
  const login = await server.fetch('/api/auth/login', {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: base },
    body: JSON.stringify({ email, password }),
  });
  const answer = (await login.json()) as { message?: string };
  if (!login.ok) throw new Error(answer.message ?? `sign-in answered ${login.status}`);
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0]!;
  const headers = { cookie, origin: base, 'content-type': 'application/json' };
  const made = await server.fetch('/api/api-keys', {
    method: 'POST',
    headers,
    body: JSON.stringify({ name: flags.name ?? `CLI on ${os.hostname()}`, scopes: ['read', 'upload', 'write'] }),
  });
  const key = (await made.json()) as { key?: string; message?: string };
  await server.fetch('/api/auth/logout', { method: 'POST', headers: { cookie, origin: base } });
  if (!made.ok || !key.key) throw new Error(key.message ?? `making an API key answered ${made.status}`);
  const file = storeKey(base, key.key);
  console.log(`Signed in to ${base} as ${email}; the CLI's API key is stored in ${file}`);
}

type UserAction =
  | { kind: 'list' }
  | { kind: 'add'; name: string; email: string; password: string; role: 'admin' | 'user' }
  | { kind: 'update'; email: string; changes: { password?: string; disabled?: boolean } };

/** Runs an account action through the library's server (admin API, local key), or on its database. */
async function onLibrary(settings: Settings, action: UserAction): Promise<UserWithUsage[] | string> {
  const server = await findServer(settings);
  if (server) return throughServer(server, action);
  const lock = settings.databaseUrl ? null : acquireLock(settings.dataDir, { command: 'users' });
  const database = await openDatabase(settings.databaseUrl ? { url: settings.databaseUrl } : { dataDir: settings.dataDir });
  try {
    const { db } = database;
    if (action.kind === 'list') return await listUsers(db);
    if (action.kind === 'add') return (await createAccount(db, action)).id;
    const user = await findUserByEmail(db, action.email);
    if (!user) throw new Error(`no user with the email ${action.email}`);
    await updateUser(db, user.id, action.changes);
    // a reset password or a disabled account signs out everywhere; a reset password also ends the keys they made
    await revokeOtherSessions(db, user.id);
    if (action.changes.password !== undefined) await revokeUserApiKeys(db, user.id);
    return user.id;
  } finally {
    await database.close();
    lock?.release();
  }
}

async function throughServer(server: ShoeboxClient, action: UserAction): Promise<UserWithUsage[] | string> {
  if (action.kind === 'list') return (await server.request<{ items: UserWithUsage[] }>('GET', '/api/admin/users')).items;
  if (action.kind === 'add') {
    const { kind: _kind, ...body } = action;
    return (await server.request<{ id: string }>('POST', '/api/admin/users', body)).id;
  }
  const users = (await server.request<{ items: UserWithUsage[] }>('GET', '/api/admin/users')).items;
  const user = users.find((u) => u.email === action.email.trim().toLowerCase());
  if (!user) throw new Error(`no user with the email ${action.email}`);
  await server.request('PATCH', `/api/admin/users/${user.id}`, action.changes);
  return user.id;
}

export async function runUsersList(settings: Settings, flags: { json?: boolean }): Promise<void> {
  const users = (await onLibrary(settings, { kind: 'list' })) as UserWithUsage[];
  if (flags.json) return console.log(JSON.stringify({ items: users }, null, 2));
  for (const user of users) {
    const state = user.disabled ? ' (disabled)' : '';
    console.log(`${user.email ?? '(not set up)'}\t${user.name}\t${user.role}${state}\t${counted(user.photos, 'photo')}, ${formatBytes(user.usedBytes)}`);
  }
}

export async function runUsersAdd(settings: Settings, email: string, flags: { name?: string; role?: 'admin' | 'user' }): Promise<void> {
  const password = await passwordInput(`Password for ${email}: `);
  const id = await onLibrary(settings, { kind: 'add', email, name: flags.name ?? email.split('@')[0]!, password, role: flags.role ?? 'user' });
  console.log(`Created ${email} (${flags.role ?? 'user'}), id ${id}`);
}

export async function runUsersResetPassword(settings: Settings, email: string): Promise<void> {
  const password = await passwordInput(`New password for ${email}: `);
  await onLibrary(settings, { kind: 'update', email, changes: { password } });
  console.log(`The password of ${email} is reset; their sessions have ended and their API keys are revoked`);
}

export async function runUsersDisable(settings: Settings, email: string, flags: { enable?: boolean }): Promise<void> {
  await onLibrary(settings, { kind: 'update', email, changes: { disabled: !flags.enable } });
  console.log(flags.enable ? `${email} can sign in again` : `${email} is disabled and signed out everywhere`);
}
