// A token file is read as `sectrail token create … > F` writes it (the token alone on its last
// non-empty line); anything else is bad usage whose message never quotes the file, and a file
// other users may read is named in a warning.
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { generateTokenSecret } from '../core/access-token.ts';
import { isSectrailError } from '../core/errors.ts';
import { readTokenFile } from './token-file.ts';

const dir = mkdtempSync(join(tmpdir(), 'sectrail-token-file-'));
after(() => {
  rmSync(dir, { recursive: true, force: true });
});

let files = 0;
function file(content: string | Buffer, mode = 0o600): string {
  const path = join(dir, `token-${String((files += 1))}`);
  writeFileSync(path, content, { mode });
  chmodSync(path, mode);
  return path;
}

/** The bad-usage error readTokenFile throws, for its code and message. */
function refusal(path: string): { code: string; message: string } {
  try {
    readTokenFile(path);
  } catch (error) {
    if (isSectrailError(error)) return { code: error.code, message: error.message };
    throw error;
  }
  return assert.fail(`${path} was accepted`);
}

/** Every piece of six characters or more of the canary that shows up in the text. */
function leakedPieces(text: string, canary: string): string[] {
  const pieces: string[] = [];
  for (let start = 0; start + 6 <= canary.length; start += 1) {
    const piece = canary.slice(start, start + 6);
    if (text.includes(piece)) pieces.push(piece);
  }
  return pieces;
}

const token = generateTokenSecret();

test('takes the last line of what sectrail token create prints', () => {
  const printed = `token id: 01a2531f-a594-71e9-b6aa-bec34add0579\nscopes: security-log:read; expires: never\nthe token is shown once; keep it secret:\n${token}\n`;
  assert.deepEqual(readTokenFile(file(printed)), { token, warning: null });
});

test('trims spaces, tabs and a CR around the token, and skips blank lines after it', () => {
  for (const content of [token, `${token}\r\n`, `  ${token} \t\r\n\r\n  \n`, `first line\r\n${token}\r\n\r\n`, `\n\n${token}`]) {
    assert.equal(readTokenFile(file(content)).token, token, JSON.stringify(content));
  }
});

test('refuses an empty file, or one of blank lines, as bad usage', () => {
  for (const content of ['', '\n', '  \r\n\t\n']) assert.equal(refusal(file(content)).code, 'INVALID_REQUEST');
});

test('refuses a file whose last non-empty line is not a token, and never quotes any of it', () => {
  const canary = 'CANARY-q7Zt3vK9xW2pL5mN8rB4';
  const contents = [
    canary,
    `${canary}\n`,
    `${token}\n${canary}\n`,
    `${canary}\n${token}x`,
    `sct_${canary}`,
    `Bearer ${token.slice(0, 20)}${canary}`,
    `token: ${canary}`,
    `${token} ${canary}`,
    `{"token": "${canary}"}`,
  ];
  for (const content of contents) {
    const path = file(content);
    const { code, message } = refusal(path);
    assert.equal(code, 'INVALID_REQUEST', JSON.stringify(content));
    // The message says what was expected and names the file, by its path only.
    assert.ok(message.includes(path) && message.includes('sct_'), message);
    assert.deepEqual(leakedPieces(message.replace(path, ''), canary), [], message);
    assert.deepEqual(leakedPieces(message.replace(path, ''), token.slice(4)), [], message);
  }
});

test('refuses a file far larger than a token file without reading it whole', () => {
  const path = file(Buffer.alloc(1024 * 1024, 'A'));
  assert.equal(refusal(path).code, 'INVALID_REQUEST');
  assert.doesNotMatch(refusal(path).message, /AAAAAA/);
});

test('refuses a missing file, or a directory, naming the file and the reason only', () => {
  const missing = refusal(join(dir, 'no-such-file'));
  assert.equal(missing.code, 'INVALID_REQUEST');
  assert.match(missing.message, /ENOENT/);
  const directory = join(dir, 'a-directory');
  mkdirSync(directory);
  assert.equal(refusal(directory).code, 'INVALID_REQUEST');
});

test('warns, naming the file and never its content, when its group or every user may read it', () => {
  const groupReadable = file(`${token}\n`, 0o640);
  const { token: read, warning } = readTokenFile(groupReadable);
  assert.equal(read, token, 'a warning does not stop the token from being used');
  assert.ok(warning?.includes(groupReadable) === true && warning.includes('0640') && warning.includes('its group'), warning ?? 'no warning');
  const everyone = readTokenFile(file(`${token}\n`, 0o644)).warning;
  assert.ok(everyone?.includes('every user') === true && everyone.includes('chmod 600'), everyone ?? 'no warning');
  for (const warned of [warning, everyone]) assert.deepEqual(leakedPieces(warned ?? '', token.slice(4)), []);
  assert.equal(readTokenFile(file(`${token}\n`, 0o400)).warning, null);
  assert.equal(readTokenFile(file(`${token}\n`, 0o620)).warning, null, 'others may write it (a different matter) but not read it');
});
