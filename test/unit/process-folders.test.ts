// Temporary files named after their process (base/process-folders.ts): what a process killed with SIGKILL left is
// swept, a live process's and anything not Shoebox's stays — in a scratch folder two processes share (a cluster's
// data folder, a container's) and under a temporary folder, where a folder planted under the process's name is refused.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { makeTempFolder, PROCESS_MARK, processGone, sweepGoneProcesses } from '../../src/base/process-folders.js';
import { Scratch } from '../../src/storage/scratch.js';

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'shoebox-process-folders-'));
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

const distModule = (file: string) => pathToFileURL(path.resolve('dist/server', file)).href;

/** A process in a pid namespace of its own (a container) under the same host name; null where util-linux cannot make one. */
const OWN_PIDS = ['unshare', '--user', '--map-root-user', '--pid', '--fork', '--mount-proc', '--kill-child'];
const ownPidsWork = spawnSync(OWN_PIDS[0]!, [...OWN_PIDS.slice(1), 'true']).status === 0;

/** A Node process that writes a scratch file and a temporary folder (TMPDIR: `tmp`), says so, and waits; `wrap`: the command it runs under. */
function writer(scratch: string, tmp: string, wrap: string[] = []): Promise<{ pid: number; kill(): Promise<void>; stop(): Promise<void> }> {
  const script = `
    const { Scratch } = await import(${JSON.stringify(distModule('storage/scratch.js'))});
    const { makeTempFolder } = await import(${JSON.stringify(distModule('base/process-folders.js'))});
    const scratch = new Scratch(${JSON.stringify(scratch)});
    require('node:fs').writeFileSync(scratch.tempPath('.upload'), 'half an upload');
    require('node:fs').mkdirSync(scratch.tempPath('-model')); // a folder a tool works in
    await makeTempFolder('decode');
    console.log('ready');
    setInterval(() => {}, 1000);`;
  const command = [...wrap, process.execPath, '--input-type=commonjs', '-e', `(async () => { ${script} })()`];
  const child = spawn(command[0]!, command.slice(1), {
    env: { ...process.env, TMPDIR: tmp },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      if (String(chunk).includes('ready')) {
        resolve({
          pid: child.pid!,
          kill: () => (child.kill('SIGKILL'), exited),
          stop: () => (child.kill('SIGTERM'), exited),
        });
      }
    });
    child.once('exit', (code) => reject(new Error(`the writer exited with ${code}`)));
  });
}

describe('process folders', () => {
  it('sweeps what a killed process left in a shared scratch folder and under the temporary folder, nothing else', async () => {
    const shared = path.join(work, 'data', 'tmp');
    const tmp = path.join(work, 'tmp');
    fs.mkdirSync(tmp);
    const [killed, alive] = await Promise.all([writer(shared, tmp), writer(shared, tmp)]);
    try {
      // a process's entries carry its mark: <host>.<pid>.<start>
      const of = (pid: number, names: string[]) => names.filter((name) => name.includes(`.${pid}.`));
      expect(of(killed.pid, fs.readdirSync(shared))).toHaveLength(2); // its upload and its work folder
      expect(of(killed.pid, fs.readdirSync(tmp))).toHaveLength(1); // its folder, with its decode folder in it
      fs.writeFileSync(path.join(shared, 'not-marked.tmp'), 'not a process’s');
      fs.mkdirSync(path.join(tmp, 'shoebox-someone-else'));
      fs.mkdirSync(path.join(tmp, 'another-app'));
      await killed.kill();

      // a cluster's folder (other processes write there): what the killed one left, and only that
      expect(await new Scratch(shared).sweep({ alone: false })).toBe(2);
      expect(of(killed.pid, fs.readdirSync(shared))).toEqual([]);
      expect(of(alive.pid, fs.readdirSync(shared))).toHaveLength(2);
      expect(fs.readdirSync(shared)).toContain('not-marked.tmp');
      const swept = await sweepGoneProcesses(tmp, 'shoebox-');
      expect(swept).toHaveLength(1);
      expect(swept[0]).toContain(`.${killed.pid}.`);
      expect(fs.readdirSync(tmp).sort()).toEqual(['another-app', ...of(alive.pid, fs.readdirSync(tmp)), 'shoebox-someone-else'].sort());
      expect(of(alive.pid, fs.readdirSync(tmp))).toHaveLength(1);

      // a folder no other process uses (the embedded server's): the unmarked goes too, the live process's stays
      expect(await new Scratch(shared).sweep({ alone: true })).toBe(1);
      expect(fs.readdirSync(shared).every((name) => name.includes(`.${alive.pid}.`))).toBe(true);
    } finally {
      await alive.stop();
    }
  });

  it('takes a mark for a live process only with its start time: a pid used again is another process', () => {
    const [host, pid, start] = PROCESS_MARK.split('.');
    expect(processGone(PROCESS_MARK)).toBe(false);
    expect(processGone(`${host}.${pid}.${Number(start) + 1}`)).toBe(start !== '0');
    // another machine's folder (a shared disk) is not judged here; neither is a name that is no mark
    expect(processGone(`${host === '00000000' ? '11111111' : '00000000'}.999999999.1`)).toBe(false);
    expect(processGone('not-a-mark')).toBe(false);
  });

  it.skipIf(!ownPidsWork)("leaves a live process's folders alone when its pids are another namespace's (a container with this host's name)", async () => {
    const shared = path.join(work, 'containers', 'tmp');
    const tmp = path.join(work, 'containers-tmp');
    fs.mkdirSync(tmp, { recursive: true });
    // pid 1 there, and its own clock of starts: here pid 1 is another, running process
    const contained = await writer(shared, tmp, OWN_PIDS);
    try {
      const theirs = fs.readdirSync(shared);
      expect(theirs).toHaveLength(2);
      expect(await new Scratch(shared).sweep({ alone: false })).toBe(0);
      expect(await sweepGoneProcesses(tmp, 'shoebox-')).toEqual([]);
      expect(fs.readdirSync(shared)).toEqual(theirs);
    } finally {
      await contained.kill(); // unshare waits out SIGTERM; its child goes with it (--kill-child)
    }
  });

  it('makes no temporary folder through a folder of its name planted in a shared /tmp (a link, or one open to others)', async () => {
    const tmp = path.join(work, 'planted');
    const elsewhere = path.join(work, 'elsewhere');
    fs.mkdirSync(tmp);
    fs.mkdirSync(elsewhere, { mode: 0o777 });
    const previous = process.env.TMPDIR;
    process.env.TMPDIR = tmp;
    try {
      fs.symlinkSync(elsewhere, path.join(tmp, `shoebox-${PROCESS_MARK}`));
      await expect(makeTempFolder('decode')).rejects.toThrow(/not this process's own folder/);
      fs.unlinkSync(path.join(tmp, `shoebox-${PROCESS_MARK}`));
      fs.mkdirSync(path.join(tmp, `shoebox-${PROCESS_MARK}`));
      fs.chmodSync(path.join(tmp, `shoebox-${PROCESS_MARK}`), 0o777);
      await expect(makeTempFolder('decode')).rejects.toThrow(/not this process's own folder/);
      expect(fs.readdirSync(elsewhere)).toEqual([]);
      expect(fs.readdirSync(path.join(tmp, `shoebox-${PROCESS_MARK}`))).toEqual([]);
    } finally {
      if (previous === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = previous;
    }
  });
});
