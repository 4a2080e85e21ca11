// The CLI's own parser without running anything: what a doc or a compose file says to run is checked as the CLI
// would take it (its commands, options, choices and value checks), with no server, database or file touched.
import { CommanderError, type Command } from 'commander';
import { cliProgram } from '../../src/cli/main.js';

/** Parses argv with the real CLI, every action and hook replaced by nothing; throws what the parser said. */
export async function parseOnly(argv: string[]): Promise<void> {
  const program = cliProgram();
  const quiet = (command: Command) => {
    command.exitOverride().configureOutput({ writeOut: () => {}, writeErr: () => {} });
    const internals = command as unknown as { _actionHandler: unknown; _lifeCycleHooks: Record<string, unknown[]> };
    if (internals._actionHandler) command.action(() => {});
    internals._lifeCycleHooks = {};
    command.commands.forEach(quiet);
  };
  quiet(program);
  try {
    await program.parseAsync(withValues(program, argv), { from: 'user' });
  } catch (error) {
    if (!(error instanceof CommanderError) || !['commander.helpDisplayed', 'commander.help', 'commander.version'].includes(error.code)) throw error;
  }
}

/** A placeholder (`--step NAME`, `--concurrency N`) given a value its option takes: its first choice, else 1. */
function withValues(program: Command, argv: string[]): string[] {
  let command = program;
  return argv.map((word, i) => {
    command = command.commands.find((sub) => sub.name() === word) ?? command;
    const option = [...command.options, ...program.options].find((o) => o.long === argv[i - 1] || o.short === argv[i - 1]);
    return option && (option.required || option.optional) && /^[A-Z][A-Z0-9_]*$/.test(word) ? (option.argChoices?.[0] ?? '1') : word;
  });
}
