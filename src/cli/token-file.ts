// Reading an access token from a file, as `sectrail token create … > F` writes it: the token alone
// on the file's last non-empty line, after lines for people. The file is a secret, so no error
// ever quotes what it holds, not even a part of it.
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { isWellFormedToken } from '../core/access-token.ts';
import { invalidRequest } from '../core/errors.ts';

/** Far more than `token create` prints; a larger file is not a token file (and /dev/zero never ends). */
const MAX_BYTES = 64 * 1024;

export interface TokenFile {
  readonly token: string;
  /** Set when the file may be read by other users: said on stderr, the pull goes on. */
  readonly warning: string | null;
}

function readLimited(path: string): { text: string; mode: number } {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (error) {
    throw invalidRequest(`cannot read the token file ${path}: ${(error as NodeJS.ErrnoException).code ?? 'unreadable'}`);
  }
  try {
    const { mode } = fstatSync(fd);
    const buffer = Buffer.alloc(MAX_BYTES + 1);
    let length = 0;
    for (;;) {
      let read: number;
      try {
        read = readSync(fd, buffer, length, buffer.length - length, null);
      } catch (error) {
        throw invalidRequest(`cannot read the token file ${path}: ${(error as NodeJS.ErrnoException).code ?? 'unreadable'}`);
      }
      if (read === 0) break;
      length += read;
      if (length > MAX_BYTES) throw invalidRequest(`the token file ${path} is larger than ${String(MAX_BYTES / 1024)} KiB, so it is not a token file.`);
    }
    return { text: buffer.subarray(0, length).toString('utf8'), mode };
  } finally {
    closeSync(fd);
  }
}

function permissionWarning(path: string, mode: number): string | null {
  // Windows has no such bits; elsewhere a token other users can read is a token they can use.
  if (process.platform === 'win32' || (mode & 0o044) === 0) return null;
  const who = (mode & 0o004) !== 0 ? 'every user of this machine' : 'its group';
  return `warning: the token file ${path} can be read by ${who} (mode ${(mode & 0o777).toString(8).padStart(4, '0')}); make it private with: chmod 600 ${path}`;
}

/** The token on the file's last non-empty line (spaces and a CR trimmed), or bad usage saying what was expected. */
export function readTokenFile(path: string): TokenFile {
  const { text, mode } = readLimited(path);
  const lines = text.split('\n').map((line) => line.trim()).filter((line) => line !== '');
  const last = lines.at(-1);
  if (last === undefined) throw invalidRequest(`the token file ${path} is empty: put the token in it, as sectrail token create prints it.`);
  if (!isWellFormedToken(last)) {
    throw invalidRequest(
      `the token file ${path} does not end with a token: its last non-empty line must be the token alone (sct_ and 43 more characters), as sectrail token create prints it.`,
    );
  }
  return { token: last, warning: permissionWarning(path, mode) };
}
