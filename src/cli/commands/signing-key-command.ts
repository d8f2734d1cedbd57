// `sectrail signing-key rotate`: a new key for sealed days' digests. The current key signs an
// announcement naming the new one, published with it by GET /api/audit-log/keys; the old key's
// validity ends now. Servers pick the new file up before their next seal (copy it to every server).
import type { Command } from 'commander';
import type { CliRuntime } from '../cli-runtime.ts';
import { withPlatform } from '../cli-runtime.ts';

export function registerSigningKeyCommands(program: Command, runtime: CliRuntime): void {
  program
    .command('signing-key')
    .description('manage the key that signs sealed days')
    .command('rotate')
    .description('make a new signing key, announced by the current one, and retire the current one')
    .action(async () => {
      await withPlatform(runtime, async (deps) => {
        const now = deps.clock.now();
        const rotation = runtime.rotateSigningKey(now);
        const { announcement } = rotation;
        await deps.store.transact((tx) =>
          tx.useSigningKey({ keyId: rotation.next.keyId, publicKey: rotation.next.publicKey, announcement: JSON.stringify(announcement) }, now),
        );
        runtime.out(`retired key ${rotation.previous.keyId}; its private key is now ${rotation.retiredPath} (keep it offline, or destroy it)`);
        runtime.out('copy the new key file to every server: each one signs with it from its next seal');
        runtime.out(`new key ${rotation.next.keyId}`);
      });
    });
}
