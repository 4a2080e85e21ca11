// Optional command-line decoders from Debian packages (djxl, heif-convert…): finding them and running them.

import { execFile } from 'node:child_process';
import { constants as fsConstants } from 'node:fs';
import { access, rm } from 'node:fs/promises';
import path from 'node:path';
import { decoderMemoryBytes, formatLimit, isOutOfMemory, withLimits } from '../child-limits.js';
import { makeTempFolder } from '../../base/process-folders.js';

const found = new Map<string, Promise<string | null>>();

/**
 * Decoders turned off by SHOEBOX_DISABLE_DECODERS (comma-separated: djxl, vipsthumbnail, vips, heic-decode,
 * jxl-wasm), e.g. to use or test the npm-only routes on a machine that has the Debian tools.
 */
export function decoderDisabled(name: string): boolean {
  const list = process.env.SHOEBOX_DISABLE_DECODERS;
  return !!list && list.split(',').some((entry) => entry.trim() === name);
}

/** Absolute path of an executable on PATH (cached per process), or null; null too when disabled. */
export function findTool(name: string): Promise<string | null> {
  if (decoderDisabled(name)) return Promise.resolve(null);
  let result = found.get(name);
  if (!result) {
    result = lookUp(name);
    found.set(name, result);
  }
  return result;
}

async function lookUp(name: string): Promise<string | null> {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, name);
    try {
      await access(candidate, fsConstants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return null;
}

/**
 * The environment for child processes. sharp's libvips sets VIPSHOME in this process, which would send a
 * Debian libvips tool looking for its modules (HEIF, JXL…) in sharp's build prefix: drop it.
 */
function childEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.VIPSHOME;
  return env;
}

/**
 * Runs a tool with at most `memoryBytes` of memory (../child-limits.ts; by default what the largest image allowed
 * needs); rejects with its stderr (trimmed) when it fails or runs past timeoutMs.
 */
export function runTool(tool: string, args: string[], timeoutMs = 120_000, memoryBytes = decoderMemoryBytes()): Promise<string> {
  const limited = process.platform === 'win32' ? { command: tool, args } : withLimits(tool, args, memoryBytes);
  return new Promise((resolve, reject) => {
    execFile(limited.command, limited.args, { env: childEnv(), timeout: timeoutMs, maxBuffer: 4 * 1024 * 1024, encoding: 'utf8' }, (error, stdout, stderr) => {
      if (error) {
        const name = path.basename(tool);
        if (isOutOfMemory(stderr)) return reject(new Error(`${name} needed more than its ${formatLimit(memoryBytes)} memory limit`));
        if (error.killed && error.signal === 'SIGTERM') return reject(new Error(`${name} ran past its ${Math.round(timeoutMs / 1000)} s limit`));
        const detail = stderr.trim().split('\n').filter(Boolean).slice(-3).join('; ') || error.message;
        reject(new Error(`${name} failed: ${detail}`));
      } else {
        resolve(stdout);
      }
    });
  });
}

/** Runs fn with a fresh private temp folder that is removed afterwards. */
export async function withTempDir<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = await makeTempFolder('decode');
  try {
    return await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
