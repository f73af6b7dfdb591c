import type { Command } from 'commander';
import { registerCbssCalls } from './_call-cbss.ts';
import { registerEhealthCalls } from './_call-ehealth.ts';
import { registerEhealthBrokeredCall } from './_call-ehealth-brokered.ts';
import { registerMtomCalls } from './_call-mtom.ts';
import type { Runner } from './_types.ts';

/**
 * Declares `passerelle call <service>:<operation>` subcommands on the `call` command.
 *
 * To add an operation (e.g. `ehealth:check-brokered-access-control`): write
 * `src/cli/commands/_call-<area>.ts` exporting a `RegisterCallSubcommand` that declares the
 * subcommand with `call.command('<service>:<operation>')` and loads its implementation lazily
 * (`src/cli/call-<area>-impl.ts`), then add it to CALL_SUBCOMMANDS below (one line).
 * Implementations open the environment's services with `withServiceContext` from
 * `src/cli/call-session.ts`, which loads credentials once, closes the transport and turns
 * SOAP faults into one clear line (fault code, SOA code, error id, hint).
 */
export type RegisterCallSubcommand = (call: Command, runner: Runner) => void;

/** Every `call` subcommand, in help order. */
export const CALL_SUBCOMMANDS: readonly RegisterCallSubcommand[] = [
  registerCbssCalls,
  registerEhealthCalls,
  registerMtomCalls,
  registerEhealthBrokeredCall,
];
