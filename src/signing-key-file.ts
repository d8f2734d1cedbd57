// The signing key as a file (DESIGN §9): an Ed25519 PEM at SECTRAIL_SIGNING_KEY, else
// signing-key.pem in the data dir, made with mode 0600 on the server's first start and never
// stored in the database. The server's signer reads the file again when it changes, so a rotation
// (`sectrail signing-key rotate`, or a new file copied in) takes effect without a restart.
import { createPrivateKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { ConfigError } from './config.ts';
import { announcementText, type KeyAnnouncement } from './core/integrity/digest.ts';
import type { DaySigner } from './core/ports/day-signer.ts';
import { Ed25519Signer } from './platform/ed25519-signer.ts';

function newKeyPem(): string {
  return generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
}

/** Reads the key, making the file first when there is none. */
export function loadOrCreateSigningKey(path: string): KeyObject {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  try {
    writeFileSync(path, newKeyPem(), { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  return readSigningKey(path);
}

function readSigningKey(path: string): KeyObject {
  try {
    return createPrivateKey(readFileSync(path));
  } catch (error) {
    throw new ConfigError(`${path} is not a PEM private key: ${(error as Error).message}`);
  }
}

/** A DaySigner over the key file, read again whenever the file changes. */
export class FileSigner implements DaySigner {
  private signer: Ed25519Signer;
  private stamp: string;

  constructor(private readonly path: string) {
    this.signer = new Ed25519Signer(loadOrCreateSigningKey(path));
    this.stamp = this.fileStamp();
  }

  private fileStamp(): string {
    const stat = statSync(this.path);
    return `${String(stat.ino)}:${String(stat.mtimeMs)}:${String(stat.size)}`;
  }

  private current(): Ed25519Signer {
    const stamp = this.fileStamp();
    if (stamp !== this.stamp) {
      this.signer = new Ed25519Signer(readSigningKey(this.path));
      this.stamp = stamp;
    }
    return this.signer;
  }

  get keyId(): string {
    return this.current().keyId;
  }

  get publicKey(): string {
    return this.current().publicKey;
  }

  sign(text: string): string {
    return this.current().sign(text);
  }
}

export interface Rotation {
  readonly previous: Ed25519Signer;
  readonly next: Ed25519Signer;
  readonly announcement: KeyAnnouncement;
  /** Where the previous private key was moved (mode 0600): keep it offline, or destroy it. */
  readonly retiredPath: string;
}

/**
 * Makes a new key, has the current one sign the announcement naming it, and swaps the files: the
 * new key replaces the file atomically, the old one is kept beside it as `<file>.<keyId>.retired`.
 */
export function rotateSigningKeyFile(path: string, nowMs: number): Rotation {
  const previous = new Ed25519Signer(readSigningKey(path));
  const pem = newKeyPem();
  const next = new Ed25519Signer(createPrivateKey(pem));
  const unsigned = { keyId: next.keyId, publicKey: next.publicKey, previousKeyId: previous.keyId, announcedAt: new Date(nowMs).toISOString() };
  const announcement: KeyAnnouncement = { ...unsigned, signature: previous.sign(announcementText(unsigned)) };
  const retiredPath = `${path}.${previous.keyId}.retired`;
  const staged = `${path}.next`;
  writeFileSync(staged, pem, { mode: 0o600, flag: 'w' });
  chmodSync(staged, 0o600);
  writeFileSync(retiredPath, readFileSync(path), { mode: 0o600, flag: 'wx' });
  renameSync(staged, path);
  return { previous, next, announcement, retiredPath };
}
