import type { Command } from 'commander';
import type { CommandContext } from '../context.ts';

/** Runs a command body with its context; a returned number is the exit status. */
export type Runner = (
  cmd: Command,
  run: (ctx: CommandContext) => Promise<number | undefined> | Promise<void>,
) => Promise<void>;

/** Each command module declares its commands on the program and runs their bodies through `runner`. */
export type RegisterCommand = (program: Command, runner: Runner) => void;

/** Commander's argument parser of a repeatable option: each value appended to the list. */
export const collect = (value: string, previous: string[] = []): string[] => [...previous, value];
