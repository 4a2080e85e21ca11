// Egress as the kernel sees it: a command run under `strace -f`, which follows every thread and child process it
// starts (native libraries' own threads, ExifTool's perl, ffmpeg), and records each connect, sendto, sendmsg and
// sendmmsg. Node's own guard (egress-guard.cjs) sees only Node's sockets and resolver; native code calling the system's
// resolver or opening a socket itself shows only here. Only these calls stop the process (--seccomp-bpf), so a
// server under watch runs at nearly its own speed.
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';

/**
 * strace's flags: every thread and child, only the calls that send (and the programs started, to show the watch
 * followed them), their sockets' ends decoded, the process's name.
 */
const FLAGS = ['-f', '--seccomp-bpf', '-qq', '-Y', '-yy', '-e', 'signal=none', '-e', 'trace=connect,sendto,sendmsg,sendmmsg,execve'];

/** The command line that runs `command` under the watch, writing what it sees to `log`. */
export function watched(log: string, command: string, args: string[]): { command: string; args: string[] } {
  return { command: 'strace', args: [...FLAGS, '-o', log, '--', command, ...args] };
}

/**
 * The watched process itself (strace's one child): signals go to it, as strace blocks them when it writes to a file
 * and ends when the last process it follows ends.
 */
export function tracedPid(strace: ChildProcess): number | undefined {
  try {
    const children = fs.readFileSync(`/proc/${strace.pid}/task/${strace.pid}/children`, 'utf8').trim().split(/\s+/);
    return children[0] ? Number(children[0]) : undefined;
  } catch {
    return undefined; // already gone
  }
}

/** A call that left, or tried to leave, this machine: who made it, which call, where to, and strace's line. */
export interface OutsideCall {
  pid: number;
  process: string;
  syscall: string;
  target: string;
  line: string;
}

const LOOPBACK_V4 = /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/;
const isLoopback = (address: string) => LOOPBACK_V4.test(address) || address === '::1' || /^::ffff:127\./i.test(address);
/** The sockets through which glibc asks a local name service (nscd, systemd-resolved, nss-mdns's avahi) to look a name up. */
const NAME_SERVICE = /nscd\/socket|systemd\/resolve\/|avahi-daemon\/socket/;

/** Where one address strace printed goes, and whether that leaves the machine (or asks a name server). */
function judgeAddress(family: string, address: string, port: number | null): string | null {
  if (family === 'AF_UNIX') return NAME_SERVICE.test(address) ? `${address} (name service)` : null;
  if (family === 'AF_NETLINK' || family === 'AF_UNSPEC') return null; // the kernel itself (interfaces, routes); a UDP socket's disconnect
  if (family !== 'AF_INET' && family !== 'AF_INET6') return `${family} ${address}`;
  if (port === 53) return `${address}:53 (DNS)`;
  return isLoopback(address) ? null : `${address}:${port ?? '?'}`;
}

/** Every address in a line of strace: the sockaddr structures it passes, and the ends of the socket it uses. */
function destinations(line: string): { family: string; address: string; port: number | null }[] {
  const found: { family: string; address: string; port: number | null }[] = [];
  for (const match of line.matchAll(/\{sa_family=(AF_\w+)([^{}]*)\}/g)) {
    const [, family, rest] = match as unknown as [string, string, string];
    const port = /sin6?_port=htons\((\d+)\)/.exec(rest);
    const address = /inet_addr\("([^"]+)"\)|inet_pton\(AF_INET6, "([^"]+)"/.exec(rest) ?? /sun_path=(@?"[^"]*")/.exec(rest);
    found.push({ family: family!, address: (address?.[1] ?? address?.[2] ?? rest).replace(/^@?"|"$/g, ''), port: port ? Number(port[1]) : null });
  }
  // a connected socket's far end, as -yy prints it: 27<UDP:[10.0.0.2:54904->10.255.255.53:53]>, <TCPv6:[[::1]:1->[::1]:2]>
  for (const match of line.matchAll(/<(TCP|UDP)(v6)?:\[(?:\[[^\]]*\]|[^[\]]*?):\d+->\[?([0-9a-fA-F.:]+?)\]?:(\d+)\]>/g)) {
    found.push({ family: match[2] ? 'AF_INET6' : 'AF_INET', address: match[3]!, port: Number(match[4]) });
  }
  return found;
}

/** What one line of the log records leaving, if anything. */
export function outsideCall(line: string): OutsideCall | null {
  const call = /^(\d+)<([^>]*)> (connect|sendto|sendmsg|sendmmsg)\((.*)$/.exec(line);
  if (!call) return null; // a resumed call, an exit, a signal: the call's own line said where it went
  const [, pid, name, syscall, rest] = call as unknown as [string, string, string, string, string];
  const places = destinations(rest);
  const outside = places.map((place) => judgeAddress(place.family, place.address, place.port)).find((target) => target !== null);
  // a datagram or stream socket whose far end strace could not name: not known to stay here
  const unnamed = places.length === 0 && /^\d+<(TCP|UDP)(v6)?:\[\d+\]>/.test(rest) ? `${/^\d+<(\w+)/.exec(rest)![1]} socket with no address` : undefined;
  const target = outside ?? unnamed;
  return target ? { pid: Number(pid), process: name, syscall, target, line } : null;
}

/**
 * The programs each process of the log runs, from its execve calls (strace's process name, `-Y`, can stay the one
 * before the exec): a call is named by the program that made it.
 */
function programs(lines: string[]): { byPid: Map<number, string>; run: string[] } {
  const byPid = new Map<number, string>();
  const pending = new Map<number, string>();
  const run = new Set<string>();
  for (const line of lines) {
    const call = /^(\d+)<[^>]*> execve\("([^"]+)".*?(\) = 0|<unfinished \.\.\.>)$/.exec(line);
    const resumed = /^(\d+)<[^>]*> <\.\.\. execve resumed>.*\) = 0$/.exec(line);
    const pid = Number((call ?? resumed)?.[1]);
    const program = call ? call[2]!.split('/').pop()! : pending.get(pid);
    if (call && call[3] !== ') = 0') pending.set(pid, program!);
    else if (program && (call || resumed)) {
      byPid.set(pid, program);
      run.add(program);
    }
  }
  return { byPid, run: [...run].sort() };
}

const logLines = (log: string) => fs.readFileSync(log, 'utf8').split('\n');

/** Every call in the log that left, or tried to leave, the machine (throws when there is no log: the watch did not run). */
export function outsideCalls(log: string): OutsideCall[] {
  const lines = logLines(log);
  const { byPid } = programs(lines);
  return lines
    .map(outsideCall)
    .filter((call): call is OutsideCall => call !== null)
    .map((call) => ({ ...call, process: byPid.get(call.pid) ?? call.process }));
}

/** The programs the watched process and its children ran, as a proof that the watch followed them. */
export const programsRun = (log: string): string[] => programs(logLines(log)).run;

/** A short account of the calls for a failed expectation: process, pid, call and where to. */
export const described = (calls: OutsideCall[]) => calls.map((call) => `${call.process}[${call.pid}] ${call.syscall} ${call.target}`);
