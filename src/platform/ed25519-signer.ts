// The DaySigner over an Ed25519 private key (node:crypto); main.ts reads the key from its file.
import { createPublicKey, sign, type KeyObject } from 'node:crypto';
import { keyIdOf, rawEd25519PublicKey } from '../core/integrity/digest.ts';
import type { DaySigner } from '../core/ports/day-signer.ts';

export class Ed25519Signer implements DaySigner {
  readonly keyId: string;
  readonly publicKey: string;

  constructor(private readonly privateKey: KeyObject) {
    if (privateKey.asymmetricKeyType !== 'ed25519') throw new Error(`the signing key is ${String(privateKey.asymmetricKeyType)}, not Ed25519`);
    const raw = rawEd25519PublicKey(createPublicKey(privateKey));
    this.keyId = keyIdOf(raw);
    this.publicKey = raw.toString('base64');
  }

  sign(text: string): string {
    return sign(null, Buffer.from(text), this.privateKey).toString('base64');
  }
}
