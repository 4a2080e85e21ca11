// ExifTool processes that end with the server, however it ends. exiftool-vendored keeps each perl process alive
// with `-stay_open True`, which by design goes on reading after the end of its input: a server killed with
// SIGKILL (the OOM killer, `kill -9`, a crashed container runtime) left them running forever, re-parented to init.
// Each one is therefore started through a few lines of perl that fork a watchdog before exec'ing ExifTool: the
// watchdog checks once a second that the server still exists, and stops ExifTool when it does not; it leaves on
// its own when ExifTool ends. No extra dependency: perl is what ExifTool needs anyway. `sh` only sets the memory
// limit (./child-limits.ts) and execs perl, so the server stays ExifTool's parent.
import { spawn, type ChildProcess } from 'node:child_process';
import { exiftoolPath } from 'exiftool-vendored';
import { EXIFTOOL_MEMORY_BYTES, withLimits } from './child-limits.js';

const WATCHDOG = `
my $server = getppid();
my $self = $$;
my $watcher = fork();
if (defined $watcher && $watcher == 0) {
  open(STDIN, '<', '/dev/null'); open(STDOUT, '>', '/dev/null'); open(STDERR, '>', '/dev/null');
  $0 = 'exiftool-watchdog';
  while (1) {
    sleep 1;
    exit 0 if getppid() != $self;
    next if kill(0, $server);
    kill('TERM', $self);
    for (1 .. 30) { exit 0 if getppid() != $self; select(undef, undef, undef, 0.1); }
    kill('KILL', $self);
    exit 0;
  }
}
my $script = shift @ARGV;
exec($^X, $script, @ARGV) or die "cannot start exiftool: $!\\n";
`;

/** The arguments exiftool-vendored runs ExifTool with (its DefaultExiftoolArgs). */
const EXIFTOOL_ARGS = ['-stay_open', 'True', '-@', '-'];

/**
 * A processFactory for exiftool-vendored: ExifTool under the watchdog and a memory limit on Unix-like systems; as
 * exiftool-vendored would start it on Windows (where a child dies with its job object anyway).
 */
export function watchedExiftoolFactory(env: NodeJS.ProcessEnv, memoryBytes = EXIFTOOL_MEMORY_BYTES): (() => Promise<ChildProcess>) | undefined {
  if (process.platform === 'win32') return undefined;
  return async () => {
    const script = await exiftoolPath();
    const { command, args } = withLimits('perl', ['-e', WATCHDOG, script, ...EXIFTOOL_ARGS], memoryBytes);
    return spawn(command, args, {
      stdio: 'pipe',
      shell: false,
      detached: false,
      env: { ...env, LANG: 'C' },
    });
  };
}
