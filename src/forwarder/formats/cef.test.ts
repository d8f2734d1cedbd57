// CEF lines cannot be forged by what users type: pipes, equals signs, backslashes, line breaks
// and other control characters in names come out escaped, and a CEF parser reads back exactly
// the fields that were written.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { escapeCefExtension, toCef } from './cef.ts';

/** Splits a CEF line at unescaped pipes (the header) and reads the extension's key=value pairs. */
function parseCef(line: string): { header: string[]; extension: Map<string, string> } {
  const header: string[] = [];
  let field = '';
  let i = 0;
  for (; i < line.length && header.length < 7; i += 1) {
    const char = line[i] as string;
    if (char === '\\') {
      field += line[i + 1] ?? '';
      i += 1;
    } else if (char === '|') {
      header.push(field);
      field = '';
    } else field += char;
  }
  const extension = new Map<string, string>();
  const rest = line.slice(i);
  // key=value pairs: a key is a run of word characters before an unescaped '='.
  const pairs = rest.split(/ (?=[A-Za-z0-9]+=)/);
  for (const pair of pairs) {
    const at = pair.search(/(?<!\\)=/);
    const raw = pair.slice(at + 1);
    // One pass, left to right: \\ \= \n \r and the \uXXXX written for other control characters.
    const value = raw.replace(/\\(u[0-9a-f]{4}|.)/g, (_, c: string) =>
      c.length === 5 ? String.fromCharCode(parseInt(c.slice(1), 16)) : c === 'n' ? '\n' : c === 'r' ? '\r' : c,
    );
    extension.set(pair.slice(0, at), value);
  }
  return { header, extension };
}

const hostile = fc.string({ unit: fc.constantFrom('a', 'Z', '|', '=', '\\', '\n', '\r', ' ', '\u2028', '\u0007', 'é', 'cs3=', 'suser=') });

test('no name, email or agent can add a line, a header field or an extension field', () => {
  fc.assert(
    fc.property(hostile, hostile, hostile, (name, agent, email) => {
      const event = {
        id: '01a2152d-d198-7118-8eab-71ae2c801846',
        seq: 7,
        timestamp: '2025-05-17T08:12:33.123Z',
        type: 'user.role.updated',
        category: 'role_privilege',
        outcome: 'success',
        user: { kind: 'user', id: 'u-1', name, email },
        ipAddress: '203.0.113.7',
        userAgent: agent,
        endpoint: 'PATCH /api/users/u-2/role',
        requestId: 'r-1',
        details: { target: { id: 'u-2', name: agent, email }, before: 'reader', after: 'admin' },
      };
      const line = toCef(event, '0.1.0');
      assert.ok(!/[\n\r\u2028]/.test(line), 'one line');
      const parsed = parseCef(line);
      assert.deepEqual(parsed.header, ['CEF:0', 'sectrail', 'sectrail', '0.1.0', 'user.role.updated', 'user role updated', '3']);
      const keys = [...parsed.extension.keys()];
      assert.deepEqual(keys, ['rt', 'externalId', 'cn1Label', 'cn1', 'cat', 'outcome', 'suser', 'suid', 'cs1Label', 'cs1', 'src', 'requestClientApplication', 'request', 'cs2Label', 'cs2', 'duser', 'duid', 'cs3Label', 'cs3']);
      assert.equal(parsed.extension.get('suser'), name, 'the name reads back exactly');
      assert.equal(parsed.extension.get('requestClientApplication'), agent);
      assert.deepEqual(JSON.parse(parsed.extension.get('cs3') ?? ''), event.details);
      assert.equal(parsed.extension.get('rt'), String(Date.parse('2025-05-17T08:12:33.123Z')));
    }),
    { numRuns: 500 },
  );
});

test('escapes exactly as the CEF rules say', () => {
  assert.equal(escapeCefExtension('a=b\\c\nd\re|f'), 'a\\=b\\\\c\\nd\\re|f');
  const line = toCef({ id: 'x', seq: 1, timestamp: '2025-05-17T00:00:00.000Z', type: 'login.failed', category: 'user_access', outcome: 'failure', user: null, ipAddress: null, userAgent: null, endpoint: 'POST /api/auth/login', requestId: null, details: {} }, '1|2');
  assert.match(line, /^CEF:0\|sectrail\|sectrail\|1\\\|2\|login\.failed\|login failed\|5\|rt=1747440000000 externalId=x /);
  assert.ok(!line.includes('suser='), 'absent values are left out');
});
