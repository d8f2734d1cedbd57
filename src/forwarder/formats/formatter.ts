// The output formats of `sectrail pull`: each turns one served envelope into one line.
import { toCef } from './cef.ts';
import { cleanJson } from '../../core/control-escapes.ts';
import { ocsfWriter } from './ocsf.ts';

export const FORMATS = ['native', 'ocsf', 'cef'] as const;
export type Format = (typeof FORMATS)[number];

/** One event (parsed, and as served) to one line. */
export type Formatter = (event: Readonly<Record<string, unknown>>, nativeText: string) => string;

export function formatterFor(format: Format, productVersion: string): Formatter {
  switch (format) {
    case 'native':
      // The envelope as served (canonical JSON parses and serialises back to the same text), with
      // what RFC 8785 leaves raw (DEL, C1, U+2028, U+2029) escaped: the same value, on one line.
      return (_event, nativeText) => cleanJson(nativeText);
    case 'ocsf':
      return ocsfWriter(productVersion);
    case 'cef':
      return (event) => toCef(event, productVersion);
  }
}
