import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { readLock } from '../../src/base/data-lock.js';
import { repoRoot, tempDir } from '../helpers/server.js';

// The README's first command: `npm start` serves the library, and runs the server with the allocator settings that
// keep its memory in bounds (issue 32, item 6: two arenas, and large blocks mapped on their own so that an image's
// buffers go back to the system when freed — idle 0.52–0.61 → 0.35 GB after 45 phone photos, bench/README.md).
describe('npm start', () => {
  const data = tempDir('shoebox-npm-start-');
  let child: ReturnType<typeof spawn> | null = null;

  afterAll(async () => {
    if (!child?.pid || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child!.once('exit', resolve));
    // npm and the server it started are one process group (detached): both stop, whether the server came up or not
    process.kill(-child.pid, 'SIGTERM');
    await exited;
  });

  it('starts the server on the embedded library with the allocator settings', async () => {
    const env = { ...process.env };
    delete env.MALLOC_ARENA_MAX;
    delete env.MALLOC_MMAP_THRESHOLD_;
    child = spawn('npm', ['start', '--silent', '--', '--data', data, '--port', '0'], { cwd: repoRoot, env, stdio: 'ignore', detached: true });
    await expect.poll(() => readLock(data)?.url ?? null, { timeout: 60_000, interval: 100 }).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const lock = readLock(data)!;
    const health = await fetch(`${lock.url}/api/health`);
    expect(health.status).toBe(200);
    expect(((await health.json()) as { database: { kind: string } }).database.kind).toBe('embedded');
    const environment = new Map(
      fs
        .readFileSync(`/proc/${lock.pid}/environ`, 'utf8')
        .split('\0')
        .filter(Boolean)
        .map((entry) => [entry.slice(0, entry.indexOf('=')), entry.slice(entry.indexOf('=') + 1)]),
    );
    expect(environment.get('MALLOC_ARENA_MAX')).toBe('2');
    expect(environment.get('MALLOC_MMAP_THRESHOLD_')).toBe('131072');
  });
});

// Every npm command in the project (npx shoebox too) read the committed .npmrc, whose onnxruntime-node key npm 11
// warned about each time (issue 61 item 10); the CUDA download it skipped is skipped by the variable onnxruntime-node
// reads, which the README's install and CI set, and by allowScripts where npm honours it.
describe("npm in the project's folder", () => {
  it('warns of no configuration, and the documented install skips the CUDA download', async () => {
    // as in a shell of its own: not the settings the npm that started vitest hands its children
    const shell = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^npm_/iu.test(name)));
    const { stdout, stderr } = await promisify(execFile)('npm', ['pkg', 'get', 'name'], { cwd: repoRoot, env: shell });
    expect(stdout.trim()).toBe('"shoebox"');
    expect(stderr).not.toMatch(/npm warn/i);
    for (const file of ['README.md', '.ci/run']) expect(fs.readFileSync(path.join(repoRoot, file), 'utf8')).toContain('ONNXRUNTIME_NODE_INSTALL=skip');
    const script = path.join(repoRoot, 'node_modules/onnxruntime-node/script/install.js');
    const env: NodeJS.ProcessEnv = { ...shell, ONNXRUNTIME_NODE_INSTALL: 'skip', GLOBAL_AGENT_HTTP_PROXY: 'http://127.0.0.1:9' };
    delete env.ONNXRUNTIME_NODE_INSTALL_CUDA;
    // the proxy goes nowhere: a download attempted would fail, not take minutes
    await promisify(execFile)(process.execPath, [script], { cwd: path.dirname(path.dirname(script)), env, timeout: 20_000 });
    expect(fs.existsSync(path.join(repoRoot, 'node_modules/onnxruntime-node/bin/napi-v6/linux/x64/libonnxruntime_providers_cuda.so'))).toBe(false);
  });
});
