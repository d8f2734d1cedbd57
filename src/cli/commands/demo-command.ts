// `sectrail demo --url <base url>`: a realistic day of every event type, produced over the server's
// real HTTP endpoints. The scenario lives in cli/demo/; this only parses and starts it.
import type { Command } from 'commander';
import type { CliRuntime } from '../cli-runtime.ts';
import { demoOptions, type DemoFlags } from '../demo/demo-options.ts';
import { runDemo } from '../demo/demo-scenario.ts';

export function registerDemoCommand(program: Command, runtime: CliRuntime): void {
  program
    .command('demo')
    .description('drive the HTTP endpoints of a running server to produce a realistic day of every event type')
    .requiredOption('--url <base url>', 'the server, such as http://127.0.0.1:8080 or http://demo.localhost:8080')
    .option('--org <slug>', "the org (default: bootstrap.txt's, else the one the URL's host names)")
    .option('--email <email>', "an admin's email (default: bootstrap.txt's admin-email)")
    .option('--password <password>', "that admin's password (default: bootstrap.txt's admin-password)")
    .option('--token <token>', "a security-log:read token that reads the day back (default: bootstrap.txt's; else the demo issues one)")
    .action(async (flags: DemoFlags) => {
      await runDemo(demoOptions(flags, process.env), (line) => { runtime.out(line); });
    });
}
