// What CLI commands are given by the composition root: a way to open the store, start the server,
// and where to print. Commands stay thin: parse, call platform, print.
import type { RequestContext } from '../core/events/envelope.ts';
import type { KeyAnnouncement } from '../core/integrity/digest.ts';
import type { PlatformDeps } from '../platform/platform-deps.ts';

export interface OpenPlatform {
  readonly deps: PlatformDeps;
  close(): Promise<void>;
}

export interface CliRuntime {
  openPlatform(): Promise<OpenPlatform>;
  serve(): Promise<void>;
  out(line: string): void;
  /** The OS user at the terminal, named as the actor of CLI changes. */
  readonly operatorName: string;
  /** Swaps the signing key file for a new key, announced by the old one. */
  rotateSigningKey(nowMs: number): KeyRotation;
}

export interface KeyRotation {
  readonly previous: { readonly keyId: string };
  readonly next: { readonly keyId: string; readonly publicKey: string };
  readonly announcement: KeyAnnouncement;
  readonly retiredPath: string;
}

export function operatorContext(runtime: CliRuntime, command: string): RequestContext {
  return {
    actor: { kind: 'operator', name: runtime.operatorName },
    ipAddress: null,
    userAgent: null,
    endpoint: `cli: sectrail ${command}`,
    requestId: null,
  };
}

/** Opens the store for one command and always closes it. */
export async function withPlatform<T>(runtime: CliRuntime, work: (deps: PlatformDeps) => Promise<T>): Promise<T> {
  const platform = await runtime.openPlatform();
  try {
    return await work(platform.deps);
  } finally {
    await platform.close();
  }
}
