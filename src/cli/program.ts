// The `sectrail` command line. Exit codes: 0 done, 1 the command failed, 2 bad usage.
import { Command, CommanderError } from 'commander';
import { isSectrailError } from '../core/errors.ts';
import type { CliRuntime } from './cli-runtime.ts';
import { registerCredentialCommands } from './commands/credential-commands.ts';
import { registerDemoCommand } from './commands/demo-command.ts';
import { registerOrgCommands } from './commands/org-commands.ts';
import { registerPullCommand } from './commands/pull-command.ts';
import { registerSigningKeyCommands } from './commands/signing-key-command.ts';
import { registerVerifyCommand } from './commands/verify-command.ts';

export function buildProgram(runtime: CliRuntime, version: string): Command {
  const program = new Command('sectrail')
    .description('a self-hostable security event log')
    .version(version)
    .exitOverride()
    .showHelpAfterError();
  program
    .command('serve')
    .description('run the server (applies migrations first)')
    .action(() => runtime.serve());
  registerOrgCommands(program, runtime);
  registerCredentialCommands(program, runtime);
  registerDemoCommand(program, runtime);
  registerVerifyCommand(program, runtime);
  registerPullCommand(program, runtime, version);
  registerSigningKeyCommands(program, runtime);
  return program;
}

/** Runs the program and returns the exit code instead of exiting, so tests can call it. */
export async function runProgram(
  program: Command,
  argv: readonly string[],
  err: (line: string) => void,
): Promise<number> {
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version are not failures; everything else commander reports is a usage error.
      return error.exitCode === 0 || error.code === 'commander.helpDisplayed' ? 0 : 2;
    }
    if (error instanceof Error && error.name === 'ConfigError') throw error;
    if (isSectrailError(error)) {
      err(`error: ${error.message}`);
      return error.code === 'INVALID_REQUEST' ? 2 : 1;
    }
    err(`error: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
}
