// The characters no line sectrail writes (the forwarder's, the console's downloads) may carry raw:
// C0 controls, DEL, C1 controls (NEL, U+0085, ends a line for many readers), U+2028 and U+2029.
// Each is written as `\uXXXX` instead:
// in JSON that is JSON's own escape, which keeps the value; in CEF and syslog parameter values it
// is six characters of text that stand for the one replaced.

// Matching control characters is the point here.
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;
// eslint-disable-next-line no-control-regex
const EVERY_UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;

/** An unsafe character raw, or a JSON escape that decodes to one past JSON.stringify (which re-escapes C0 only). */
// eslint-disable-next-line no-control-regex
const UNSAFE_OR_ITS_ESCAPE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]|\\u(?:00[89][0-9a-fA-F]|007[fF]|202[89])/;

/**
 * Whether a JSON text could yield an unsafe character once parsed: it holds one raw, or a `\uXXXX`
 * escape of DEL, C1, U+2028 or U+2029. When it does not, nothing written from its parsed value
 * through JSON.stringify holds one either.
 */
export const mayYieldUnsafe = (json: string): boolean => UNSAFE_OR_ITS_ESCAPE.test(json);

/** `\uXXXX` (lowercase hex) for one UTF-16 unit. */
export const unicodeEscape = (char: string): string => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`;

/** Every unsafe character as `\uXXXX` text; the text itself when it has none (the common case, one scan). */
export function escapeUnsafe(text: string): string {
  return UNSAFE.test(text) ? text.replace(EVERY_UNSAFE, unicodeEscape) : text;
}

/**
 * A compact JSON text (no whitespace between tokens, as canonical JSON and JSON.stringify write
 * it) with the same value and no unsafe character: there such a character can only stand inside
 * a string, where `\uXXXX` is its escape. RFC 8785 and JSON.stringify escape C0 controls already,
 * but write DEL, C1, U+2028 and U+2029 raw.
 */
export const cleanJson: (json: string) => string = escapeUnsafe;
