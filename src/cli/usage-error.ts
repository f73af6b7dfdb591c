import type { Command, CommanderError } from 'commander';
import { PasserelleError } from '../errors.ts';

/** Global options that take a value: their value is never a command name. */
const VALUED_GLOBALS = new Set(['--config', '--env']);

/**
 * The command line words of the command that `argv` reached (`passerelle env list`): the
 * commands named before the first word that is not one, skipping options and the values of the
 * global options.
 */
export function commandPath(program: Command, argv: readonly string[]): string {
  const path = [program.name()];
  let current = program;
  const words = argv.slice(2);
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    if (word === '--') break;
    if (word.startsWith('-')) {
      if (VALUED_GLOBALS.has(word)) i++;
      continue;
    }
    const next = current.commands.find((c) => c.name() === word || c.aliases().includes(word));
    if (next === undefined) break;
    path.push(next.name());
    current = next;
    if (current.commands.length === 0) break;
  }
  return path.join(' ');
}

const COMMAND_ERRORS = new Set(['commander.unknownCommand']);

/**
 * Commander's parse errors as ERR_USAGE: its message on one line (`unknown option '--x'`,
 * `unknown command 'x'`, `required option '--echo <text>' not specified`, ...), and a hint naming
 * the `--help` of the command the error is about.
 */
export function usageError(
  error: CommanderError,
  program: Command,
  argv: readonly string[],
): PasserelleError {
  const path = commandPath(program, argv);
  const message = error.message
    .replace(/^error: /, '')
    .replace(/\s*\n\s*/g, ' ')
    .trim();
  const hint = COMMAND_ERRORS.has(error.code)
    ? `Run \`${path} --help\` to see its commands.`
    : `Run \`${path} --help\` to see its arguments and options.`;
  return new PasserelleError('ERR_USAGE', message, {
    hint,
    details: { command: path, reason: error.code.replace(/^commander\./, '') },
  });
}
