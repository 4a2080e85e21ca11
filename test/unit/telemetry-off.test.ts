// onnxruntime's telemetry is turned off before the library can start it (src/config/telemetry-off.ts): every module
// that loads onnxruntime-node or transformers.js, the CLI's entry and where the model worker threads start import that
// module first. What each process then sends is watched by strace in the egress, CLI and cluster worker tests.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { startWorker } from '../../src/ml/worker-url.js';

const src = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../src');
const MODULE = path.join(src, 'config', 'telemetry-off.ts');

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return /\.tsx?$/.test(entry.name) && !entry.name.endsWith('.test.ts') ? [full] : [];
  });
}

/** A value import of onnxruntime-node or transformers.js (static, side-effect, dynamic or required), not `import type`. */
const LOADS_ORT =
  /^import\s+(?!type\s)[^;]*?from\s+'(?:onnxruntime-node|@huggingface\/transformers)'|^import\s+'(?:onnxruntime-node|@huggingface\/transformers)'|(?:import|require)\(\s*'(?:onnxruntime-node|@huggingface\/transformers)'\s*\)/m;

/** Besides those: the CLI's entry (every command, its children) and where model worker threads start (their parent). */
const ENTRIES = ['cli/main.ts', 'ml/worker-url.ts'];

describe('onnxruntime telemetry off', () => {
  it('is the first import of every module that loads onnxruntime, of the CLI and of the worker starts', () => {
    const loaders = sourceFiles(src).filter((file) => LOADS_ORT.test(fs.readFileSync(file, 'utf8')));
    // the scan finds them: CLIP on transformers.js and on onnxruntime directly, OCR, faces
    expect(loaders.map((file) => path.relative(src, file)).sort()).toEqual(
      expect.arrayContaining([
        'ml/clip-split.ts',
        'ml/clip.ts',
        'ml/faces/faceres-onnx.ts',
        'ml/faces/ssd-onnx.ts',
        'ml/paddle/detector.ts',
        'ml/paddle/paddle-ocr.ts',
      ]),
    );
    const late = [...loaders, ...ENTRIES.map((file) => path.join(src, file))].filter((file) => {
      const first = /^import\s[^;]*;/m.exec(fs.readFileSync(file, 'utf8'))?.[0];
      const wanted = path.relative(path.dirname(file), MODULE).replace(/\.ts$/, '.js');
      return first !== `import '${wanted.startsWith('.') ? wanted : `./${wanted}`}';`;
    });
    expect(late.map((file) => path.relative(src, file))).toEqual([]);
  });

  it("forces the switch on in the process's environment, whatever it said, and refuses a worker thread started without it", async () => {
    // the main thread: setenv, so native code and child processes see it
    const script = `await import(${JSON.stringify(MODULE)}); const { execFileSync } = await import('node:child_process'); process.stdout.write(execFileSync('printenv', ['ORT_DISABLE_TELEMETRY']));`;
    const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      env: { PATH: process.env.PATH, ORT_DISABLE_TELEMETRY: '0' },
      encoding: 'utf8',
    });
    expect(child.stderr).toBe('');
    expect(child.stdout.trim()).toBe('1');

    // a worker thread cannot set it for the process: one started without it from its parent refuses to go on
    const exit = (env: NodeJS.ProcessEnv) =>
      new Promise<string>((resolve) => {
        const worker = startWorker({ url: new URL(`file://${MODULE}`), typescript: true }, { env });
        worker.on('error', (error) => resolve(error.message));
        worker.on('exit', (code) => resolve(`exit ${code}`));
      });
    expect(await exit({ ...process.env, ORT_DISABLE_TELEMETRY: '0' })).toMatch(
      /ORT_DISABLE_TELEMETRY was not set by the main thread before this worker started/,
    );
    expect(await exit({ ...process.env, ORT_DISABLE_TELEMETRY: '1' })).toBe('exit 0');
  });
});
