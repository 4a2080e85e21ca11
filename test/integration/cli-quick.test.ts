import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { repoRoot, startTestServer, tempDir, type TestServer } from '../helpers/server.js';

// Issue 32, item 5: the CLI loads what a command uses. `--help` and a command that asks a running server must not
// load the server, its database, the pipeline or the models (loading them took 4 s for `--help` and 6–10 s a command).
// What a process loads is recorded by a loader hook (test/helpers/record-modules.mjs), so the check does not hang on
// this machine's speed; the times are printed beside it.
const hook = pathToFileURL(path.join(repoRoot, 'test', 'helpers', 'record-modules.mjs')).href;

/** Modules that only the library side needs: none of them may load when a server answers. */
const LIBRARY_SIDE = [
  /\/dist\/server\/(app|db|pipeline|ml|media|storage|queue)\//,
  /\/dist\/server\/search\/(?!fusion\.js)/, // fusion.js holds two plain numbers the search schema's defaults name
  /\/dist\/server\/library\//,
  /\/node_modules\/(@electric-sql|sharp|onnxruntime-node|onnxruntime-common|pg|fastify|drizzle-orm|exiftool-vendored|@vladmandic)\//,
];

async function runRecorded(args: string[]) {
  const log = path.join(tempDir('shoebox-modules-'), 'modules.txt');
  const started = performance.now();
  const result = await runCli(args, { NODE_OPTIONS: `--import ${hook}`, SHOEBOX_MODULES_LOG: log });
  const seconds = (performance.now() - started) / 1000;
  const modules = fs.existsSync(log) ? fs.readFileSync(log, 'utf8').split('\n').filter(Boolean) : [];
  process.stdout.write(`shoebox ${args.slice(0, 2).join(' ')}: ${seconds.toFixed(2)} s, ${modules.length} modules\n`);
  return { ...result, modules, heavy: modules.filter((url) => LIBRARY_SIDE.some((pattern) => pattern.test(url))) };
}

describe('a quick CLI', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer({ creationTools: true }); // its commands include `catalogue export` and `generate`
  });
  afterAll(async () => {
    await server?.dispose();
  });

  it('shows its help without loading the server', async () => {
    const help = await runRecorded(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('serve');
    expect(help.stdout).toContain('libraries');
    // the recording works: the CLI's own modules are in it
    expect(help.modules.some((url) => url.endsWith('/dist/server/cli/main.js'))).toBe(true);
    expect(help.heavy).toEqual([]);
  });

  it('asks the running server of --data and loads nothing of the library', async () => {
    const commands: { args: string[]; says: RegExp; on: 'stdout' | 'stderr' }[] = [
      { args: ['jobs', '--json'], says: /"states"/, on: 'stdout' },
      { args: ['albums', '--json'], says: /"items": \[\]/, on: 'stdout' },
      { args: ['duplicates', '--json'], says: /"items": \[\]/, on: 'stdout' },
      { args: ['libraries', 'list', '--json'], says: /"items": \[\]/, on: 'stdout' },
      { args: ['search', 'flowers', '--mode', 'keyword', '--json'], says: /"items"/, on: 'stdout' },
      { args: ['catalogue', 'export'], says: /^photoId,/, on: 'stdout' },
      { args: ['generate', 'a lighthouse at dusk'], says: /no image-generation provider is configured/, on: 'stderr' },
      { args: ['reprocess', '--step', 'ocr'], says: new RegExp(`Queued 0 photos for ocr on ${server.url}`), on: 'stderr' },
      // `albums` has --data too: regenerate must still ask this library's server (it opened ./shoebox-data before)
      { args: ['albums', 'regenerate'], says: /automatic albums need a CLIP model/, on: 'stderr' },
    ];
    for (const { args, says, on } of commands) {
      const result = await runRecorded([...args, '--data', server.dataDir]);
      expect(result[on], `${args.join(' ')}: ${result.stderr}`).toMatch(says);
      expect(result.heavy, args.join(' ')).toEqual([]);
    }
    expect(fs.existsSync(path.join(repoRoot, 'shoebox-data'))).toBe(false);
  });

  it('loads the library itself when no server holds it', async () => {
    const dataDir = tempDir();
    const result = await runRecorded(['jobs', '--json', '--data', dataDir]);
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ states: expect.any(Object) });
    // the same recording sees the library side when it does load: the check above can fail
    expect(result.heavy.some((url) => url.includes('/dist/server/app/open.js'))).toBe(true);
  });
});
