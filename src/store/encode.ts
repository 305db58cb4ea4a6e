/**
 * JSON text with every non-ASCII character escaped: the journal and the snapshot stay pure ASCII, so memory keeps
 * each stored value as a one-byte string (half the size of a string with one Chinese character in it) and a file
 * reads back the same whatever its reader's encoding.
 */
export function encode (value: unknown): string {
  const text = JSON.stringify(value)
  // eslint-disable-next-line no-control-regex
  return /[^\x00-\x7f]/.test(text) ? text.replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`) : text
}
