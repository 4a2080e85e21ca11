// A crowd of stalled requests against a server with few file handles (issue 59: ~19,900 stalled sign-ins held
// every handle of a server for > 700 s). `shoebox serve` runs under `prlimit --nofile=N`; a user and one photo are
// made; then `--crowd` connections from other loopback addresses (100 each, under the per-address limit) send half
// a sign-in's JSON body and nothing more. While they stall, the user signs in, lists the timeline and fetches the
// thumbnail and the original, three times (status and milliseconds of each); then how many of the crowd are still
// open 35 and 70 s after it came (the body idle cut is 60 s by default).
// Usage: node --import tsx bench/crowd/run.ts [--checkout DIR] [--nofile 2048] [--crowd 3000]
//   --checkout: a built checkout to run (another commit's, to compare); default this one.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { arg } from '../args.js';
import { repoRoot } from '../search/generate.js';
import { corpusPath } from '../../test/helpers/corpus.js';

const checkout = path.resolve(arg('checkout') ?? repoRoot);
const nofile = Number(arg('nofile') ?? 2048);
const size = Number(arg('crowd') ?? 3000);
const data = fs.mkdtempSync(path.join(os.tmpdir(), 'shoebox-crowd-'));
const server = spawn(
  'prlimit',
  [`--nofile=${nofile}:${nofile}`, process.execPath, path.join(checkout, 'bin/shoebox.js'), 'serve', '--data', data, '--port', '0'],
  {
    env: { ...process.env, LOG_LEVEL: 'info', SHOEBOX_FACES: 'off', SHOEBOX_OCR_ENGINE: 'off' },
  },
);
let output = '';
const url = await new Promise<string>((resolve, reject) => {
  const onData = (chunk: Buffer) => {
    output += chunk;
    const match = /Shoebox is running at (\S+)/.exec(output);
    if (match) resolve(match[1]!);
  };
  server.stdout.on('data', onData);
  server.stderr.on('data', onData);
  server.once('exit', (code) => reject(new Error(`the server exited with ${code}:\n${output}`)));
});
const owner = { 'x-api-key': fs.readFileSync(path.join(data, 'cli-api-key'), 'utf8').trim() };
const post = (route: string, body: unknown, headers: Record<string, string> = owner) =>
  fetch(`${url}${route}`, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify(body) });
await post('/api/admin/users', { name: 'Cat', email: 'cat@example.org', password: 'cat password 1' });
const form = new FormData();
form.append('file', new Blob([new Uint8Array(fs.readFileSync(corpusPath('immich-test-assets/albums/nature/silver_fir.jpg')))]), 'silver_fir.jpg');
const id = ((await (await fetch(`${url}/api/photos`, { method: 'POST', headers: owner, body: form })).json()) as { items: { id: string }[] }).items[0]!.id;
for (;;) {
  const { states } = (await (await post('/api/photos/states', { ids: [id] })).json()) as { states: Record<string, string> };
  if (['completed', 'partial', 'failed'].includes(states[id] ?? '')) break;
  await new Promise((resolve) => setTimeout(resolve, 200));
}

const { host, port } = new URL(url);
const half = `POST /api/auth/login HTTP/1.1\r\nHost: ${host}\r\nContent-Type: application/json\r\nContent-Length: 200\r\n\r\n{"email":"cat@example.org",`;
const crowd: { closed: boolean }[] = [];
const started = Date.now();
for (let i = 0; i < size; i += 100) {
  const address = `127.0.2.${1 + i / 100}`;
  await Promise.all(
    Array.from({ length: Math.min(100, size - i) }, () => {
      const socket = net.connect({ host: '127.0.0.1', port: Number(port), localAddress: address });
      const member = { closed: false };
      crowd.push(member);
      socket.on('error', () => undefined);
      socket.resume(); // what the server answers is read (and dropped): its close is seen
      return new Promise<void>((resolve) => {
        socket.on('close', () => {
          member.closed = true;
          resolve();
        });
        socket.on('connect', () => socket.write(half, () => resolve()));
      });
    }),
  );
}
const open = () => crowd.filter((member) => !member.closed).length;
await new Promise((resolve) => setTimeout(resolve, 1000));
console.log(`crowd of ${size} in ${(Date.now() - started) / 1000} s; open 1 s later: ${open()}`);

async function timed(what: string, request: () => Promise<Response>): Promise<string> {
  const begun = Date.now();
  try {
    const response = await request();
    await response.arrayBuffer();
    return `${what} ${response.status} ${Date.now() - begun} ms`;
  } catch (error) {
    return `${what} ${(error as { cause?: { code?: string } }).cause?.code ?? (error as Error).message} ${Date.now() - begun} ms`;
  }
}
const signal = () => AbortSignal.timeout(20_000);
for (let round = 0; round < 3; round++) {
  let cookie = '';
  const lines = [
    await timed('health', () => fetch(`${url}/api/health`, { signal: signal() })),
    await timed('sign-in', async () => {
      const response = await post('/api/auth/login', { email: 'cat@example.org', password: 'cat password 1' }, {});
      cookie = /shoebox_session=[^;]+/.exec(response.headers.get('set-cookie') ?? '')?.[0] ?? '';
      return response;
    }),
    await timed('timeline', () => fetch(`${url}/api/timeline`, { headers: { cookie }, signal: signal() })),
    await timed('thumbnail', () => fetch(`${url}/api/photos/${id}/thumbnail`, { headers: owner, signal: signal() })),
    await timed('original', () => fetch(`${url}/api/photos/${id}/original`, { headers: owner, signal: signal() })),
  ];
  console.log(`round ${round + 1}: ${lines.join(', ')}`);
}
for (const seconds of [35, 70]) {
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, started + seconds * 1000 - Date.now())));
  console.log(`crowd still open ${seconds} s after it came: ${open()}`);
}
server.kill('SIGTERM');
await new Promise((resolve) => server.once('exit', resolve));
fs.rmSync(data, { recursive: true, force: true });
process.exit(0);
