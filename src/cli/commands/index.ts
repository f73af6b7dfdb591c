import type { RegisterCommand } from './_types.ts';
import { registerEnv } from './env.ts';

/** Every command module, in help order. Add a module's register function here. */
export const COMMANDS: readonly RegisterCommand[] = [registerEnv];
