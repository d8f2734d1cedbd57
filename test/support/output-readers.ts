// Strict readers of what `sectrail pull` writes, as a SIEM reads it: a CEF line into its header
// fields and extension pairs by the CEF escaping rules alone, an octet-counted syslog stream into
// frames, and an RFC 5424 frame into its parts. They refuse anything off the grammar, so a value
// that broke out of its field shows up as a wrong field count, a wrong key or a parse error.
import assert from 'node:assert/strict';

/** Every character Unicode counts as ending a line (UAX #14 BK, CR, LF, NL): what a line reader may split at. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
export const LINE_BREAK = /[\n\r\u000b\u000c\u001c-\u001e\u0085\u2028\u2029]/;

/** What no line or frame may carry raw: C0 and C1 controls, DEL, U+2028 and U+2029. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
export const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const EVERY_UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;

const hex = (char: string): string => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`;

/** A value as CEF and syslog parameter values must write it, read back: each unsafe character as the text `\uXXXX`. */
export function unsafeAsText(value: string): string {
  return value.replace(EVERY_UNSAFE, hex);
}

/** A header field as CEF must write it, read back: line breaks become spaces, other controls `\uXXXX` text. */
export function cefHeaderText(value: string): string {
  return unsafeAsText(value.replace(/\r\n|\n|\r/g, ' '));
}

/** An extension value as CEF must write it, read back: `\n` and `\r` survive (escaped), other controls become `\uXXXX` text. */
export function cefExtensionText(value: string): string {
  return value.replace(EVERY_UNSAFE, (char) => (char === '\n' || char === '\r' ? char : hex(char)));
}

export interface CefRecord {
  readonly header: readonly string[];
  readonly extension: readonly (readonly [string, string])[];
}

/**
 * A CEF line by the rules of the format: seven header fields split at unescaped pipes (`\|` and
 * `\\` are its escapes), then `key=value` pairs where an unescaped `=` always ends a key (values
 * escape theirs) and `\\ \= \n \r` are the value escapes; any other backslash is kept as text.
 */
export function readCef(line: string): CefRecord {
  assert.ok(line.startsWith('CEF:'), 'a CEF line starts with CEF:');
  const header: string[] = [];
  let field = '';
  let at = 0;
  while (header.length < 7) {
    assert.ok(at < line.length, `the line has seven header fields: ${line}`);
    const char = line[at] as string;
    const next = line[at + 1];
    if (char === '\\' && (next === '\\' || next === '|')) {
      field += next;
      at += 2;
    } else if (char === '|') {
      header.push(field);
      field = '';
      at += 1;
    } else {
      field += char;
      at += 1;
    }
  }
  const rest = line.slice(at);
  // Positions of the unescaped `=`: a backslash escapes the one character after it.
  const equals: number[] = [];
  for (let index = 0; index < rest.length; index += 1) {
    if (rest[index] === '\\') index += 1;
    else if (rest[index] === '=') equals.push(index);
  }
  const extension: [string, string][] = [];
  let keyStart = 0;
  for (let index = 0; index < equals.length; index += 1) {
    const equal = equals[index] as number;
    const key = rest.slice(keyStart, equal);
    assert.match(key, /^[A-Za-z0-9_]+$/, `an extension key: ${JSON.stringify(key)} in ${line}`);
    const following = equals[index + 1];
    const valueEnd = following === undefined ? rest.length : rest.lastIndexOf(' ', following);
    assert.ok(valueEnd > equal, `a space before the next key in ${line}`);
    extension.push([key, decodeCefValue(rest.slice(equal + 1, valueEnd))]);
    keyStart = valueEnd + 1;
  }
  return { header, extension };
}

function decodeCefValue(raw: string): string {
  return raw.replace(/\\([\\=nr])/g, (_, char: string) => (char === 'n' ? '\n' : char === 'r' ? '\r' : char));
}

/** The frames of an RFC 6587 octet-counted stream: `LENGTH SP FRAME`, again and again, to its end. */
export function octetCountedFrames(stream: Buffer): string[] {
  const frames: string[] = [];
  let at = 0;
  while (at < stream.length) {
    const space = stream.indexOf(0x20, at);
    assert.ok(space > at, 'a frame starts with its length');
    const length = stream.subarray(at, space).toString('ascii');
    assert.match(length, /^[1-9][0-9]*$/, 'the length is a number');
    const end = space + 1 + Number(length);
    assert.ok(end <= stream.length, 'the frame is as long as it says');
    frames.push(stream.subarray(space + 1, end).toString('utf8'));
    at = end;
  }
  return frames;
}

export interface SyslogFrame {
  readonly pri: number;
  readonly timestamp: string;
  readonly hostname: string;
  readonly appName: string;
  readonly procId: string;
  readonly msgId: string;
  readonly sdId: string;
  readonly params: readonly (readonly [string, string])[];
  readonly message: string;
}

/** An RFC 5424 frame with one SD-ELEMENT: header fields of printable ASCII, PARAM-VALUEs with `\" \\ \]` escapes. */
export function readSyslogFrame(frame: string): SyslogFrame {
  const head = /^<(\d{1,3})>1 ([\x21-\x7e]+) ([\x21-\x7e]{1,255}) ([\x21-\x7e]{1,48}) ([\x21-\x7e]{1,128}) ([\x21-\x7e]{1,32}) \[([^ =\]"]{1,32})/.exec(frame);
  assert.ok(head !== null, `an RFC 5424 header: ${frame.slice(0, 200)}`);
  let at = head[0].length;
  const params: [string, string][] = [];
  while (frame[at] === ' ') {
    const name = /^ ([^ =\]"]{1,32})="/.exec(frame.slice(at));
    assert.ok(name !== null, `a PARAM-NAME at ${at}: ${frame.slice(at, at + 40)}`);
    at += name[0].length;
    let value = '';
    for (;;) {
      const char = frame[at];
      assert.ok(char !== undefined, 'the PARAM-VALUE is closed');
      if (char === '\\' && ['"', '\\', ']'].includes(frame[at + 1] ?? '')) {
        value += frame[at + 1] as string;
        at += 2;
      } else if (char === '"') {
        at += 1;
        break;
      } else {
        assert.ok(char !== ']', 'a raw ] inside a PARAM-VALUE');
        value += char;
        at += 1;
      }
    }
    params.push([name[1] as string, value]);
  }
  assert.equal(frame.slice(at, at + 2), '] ', 'the SD-ELEMENT ends, then the MSG');
  return {
    pri: Number(head[1]),
    timestamp: head[2] as string,
    hostname: head[3] as string,
    appName: head[4] as string,
    procId: head[5] as string,
    msgId: head[6] as string,
    sdId: head[7] as string,
    params,
    message: frame.slice(at + 2),
  };
}
