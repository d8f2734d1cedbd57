// `sectrail verify`: checks a downloaded day against its signed digest and the published keys,
// offline (DESIGN §9). Exit 0 verified, 1 anything does not match (the message names what), 2 bad usage.
import type { Command } from 'commander';
import { verifyDay } from '../../core/integrity/verify-day.ts';
import type { CliRuntime } from '../cli-runtime.ts';
import { readDayFile, readJsonFile } from '../verify/day-files.ts';

interface VerifyFlags {
  readonly day: string;
  readonly digest: string;
  readonly keys: string;
  readonly previousDigest?: string;
}

export function registerVerifyCommand(program: Command, runtime: CliRuntime): void {
  program
    .command('verify')
    .description("check a downloaded day against its signed digest and the published keys, offline")
    .requiredOption('--day <file>', "the day as /security-trail/ answered it (the whole day), or the forwarder's native NDJSON")
    .requiredOption('--digest <file>', 'the day\u2019s digest as /security-trail/digest answered it')
    .requiredOption('--keys <file>', 'the keys as /api/audit-log/keys answered them')
    .option('--previous-digest <file>', "the previous day's digest: checks the chain too")
    .action((flags: VerifyFlags) => {
      const verified = verifyDay({
        events: readDayFile(flags.day),
        digest: readJsonFile(flags.digest, 'the digest file'),
        keys: readJsonFile(flags.keys, 'the keys file'),
        ...(flags.previousDigest === undefined ? {} : { previousDigest: readJsonFile(flags.previousDigest, 'the previous digest file') }),
      });
      runtime.out(
        `verified: ${verified.date}, org ${verified.orgId}, ${String(verified.treeSize)} events (seq ${String(verified.firstSeq)} to ${String(verified.lastSeq)}), ` +
          `signed with key ${verified.keyId}${verified.chained ? ', chained to the previous day' : ''}`,
      );
    });
}
