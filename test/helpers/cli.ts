import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { seedEmbeddedDatabase } from './db-template.js';
import { libraryDatabaseUrl, rememberServerKey, repoRoot } from './server.js';
import { tracedPid, watched } from './syscall-watch.js';

export const shoeboxBin = path.join(repoRoot, 'bin', 'shoebox.js');

/**
 * The library's database for a command on `--data DIR` (the `postgres` test project's server), as the environment says
 * it. An embedded library the command would create is given the migrated empty database made once for every test
 * (db-template.ts), as test servers are: creating it is ~5 s of a process's CPU, which a file running the CLI on a few
 * new folders paid each time. `seed` false where the test watches what the process itself makes of the folder.
 */
async function databaseEnv(args: string[], seed: boolean): Promise<NodeJS.ProcessEnv> {
  const at = args.indexOf('--data');
  const dataDir = at >= 0 ? args[at + 1] : undefined;
  const url = dataDir ? await libraryDatabaseUrl(dataDir) : undefined;
  if (url) return { DATABASE_URL: url };
  if (dataDir && seed) await seedEmbeddedDatabase(dataDir);
  return {};
}

/** The node command line for the CLI, under the system-call watch when `watch` names its log (syscall-watch.ts). */
const cliCommand = (args: string[], watch: string | undefined) =>
  watch ? watched(watch, process.execPath, [shoeboxBin, ...args]) : { command: process.execPath, args: [shoeboxBin, ...args] };

/** Runs the built CLI to the end; resolves with its exit code and output. */
export async function runCli(
  args: string[],
  env: NodeJS.ProcessEnv = {},
  options: { watch?: string } = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  // not for the commands that write a library into a folder of their own (`restore`, `migrate`), copy one (`backup`) or
  // are watched creating nothing (`serve` on a port in use)
  const database = await databaseEnv(args, !['restore', 'migrate', 'backup', 'serve'].includes(args[0] ?? ''));
  return new Promise((resolve, reject) => {
    const { command, args: line } = cliCommand(args, options.watch);
    const child = spawn(command, line, { env: { ...process.env, LOG_LEVEL: 'warn', ...database, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/**
 * Starts `shoebox serve` in a child process and resolves once it prints its URL. With `watch`, under the system-call
 * watch (the child is then strace: `pid` is the server's, to signal). `port`: a given one (a restart on the same origin).
 */
export async function spawnServer(
  dataDir: string,
  env: NodeJS.ProcessEnv = {},
  options: { ownProcessGroup?: boolean; inheritEnv?: boolean; watch?: string; port?: number } = {},
): Promise<{ child: ChildProcess; pid: number; url: string; output: () => string }> {
  const database = await databaseEnv(['--data', dataDir], options.inheritEnv !== false);
  // without inheritEnv, only what a shell always has: no setting of the test run's environment reaches the server
  const base = options.inheritEnv === false ? { PATH: process.env.PATH, HOME: process.env.HOME, TMPDIR: process.env.TMPDIR } : process.env;
  return new Promise((resolve, reject) => {
    const { command, args } = cliCommand(['serve', '--data', dataDir, '--port', String(options.port ?? 0)], options.watch);
    const child = spawn(command, args, {
      env: { ...base, LOG_LEVEL: 'info', ...database, ...env },
      // In its own group, `process.kill(-pid)` kills the server with its helper processes (exiftool), as a
      // crash of the machine or container would.
      detached: options.ownProcessGroup ?? false,
    });
    let output = '';
    const onData = (chunk: Buffer) => {
      output += chunk;
      const match = /Shoebox is running at (http:\/\/\S+)/.exec(output);
      if (match) {
        rememberServerKey(match[1]!, dataDir);
        resolve({ child, pid: (options.watch ? tracedPid(child) : child.pid)!, url: match[1]!, output: () => output });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.on('error', reject);
    child.on('exit', (code) => {
      if (!/Shoebox is running at/.test(output)) reject(new Error(`server exited with ${code}:\n${output}`));
    });
  });
}
