/**
 * The digest input of Appendix A: the values of the data object, keys sorted, concatenated with no separator.
 * @see ../../README.md#crypto (Appendix A, step 1)
 */

/** How numbers are spelled in the digest: `js` as JavaScript writes them (`100`), `java` as a Java/Gson client does (`100.0`). */
export type NumberStyle = 'js' | 'java'

/** Compares two strings by Unicode code point (not UTF-16 unit), the order Java's and PHP's byte-wise sorts agree on for UTF-8. */
export function compareCodePoints (a: string, b: string): number {
  // Fast path: up to the first difference the UTF-16 units agree; when neither unit there is a surrogate (and no
  // surrogate came before) the units are the code points. Keys are mostly ASCII, so this nearly always decides.
  const n = Math.min(a.length, b.length)
  let i = 0
  let surrogates = false
  for (; i < n; i++) {
    const x = a.charCodeAt(i)
    const y = b.charCodeAt(i)
    if (x !== y) {
      if (!surrogates && !isSurrogate(x) && !isSurrogate(y)) return x - y
      break
    }
    if (isSurrogate(x)) surrogates = true
  }
  if (i === n && !surrogates && !hasSurrogate(a, n) && !hasSurrogate(b, n)) return a.length - b.length
  return compareSlow(a, b)
}

function isSurrogate (unit: number): boolean {
  return unit >= 0xd800 && unit <= 0xdfff
}

function hasSurrogate (text: string, from: number): boolean {
  for (let i = from; i < text.length; i++) if (isSurrogate(text.charCodeAt(i))) return true
  return false
}

function compareSlow (a: string, b: string): number {
  const left = [...a]
  const right = [...b]
  const n = Math.min(left.length, right.length)
  for (let i = 0; i < n; i++) {
    const diff = (left[i] as string).codePointAt(0)! - (right[i] as string).codePointAt(0)!
    if (diff !== 0) return diff
  }
  return left.length - right.length
}

/**
 * One value as it enters the digest: strings as they are, `null` as the empty string, numbers and booleans as
 * JavaScript writes them (or Java-style `100.0` for whole numbers), nested objects and arrays as compact JSON.
 */
export function digestValue (value: unknown, numberStyle: NumberStyle = 'js'): string {
  if (value === null || value === undefined) return ''
  if (typeof value === 'string') return value
  if (typeof value === 'number') {
    return numberStyle === 'java' && Number.isInteger(value) ? `${value}.0` : String(value)
  }
  if (typeof value === 'boolean' || typeof value === 'bigint') return String(value)
  return JSON.stringify(value)
}

/** The canonical string of a data object: its values in code-point order of their keys, concatenated. */
export function canonicalString (data: Record<string, unknown>, numberStyle: NumberStyle = 'js'): string {
  return Object.keys(data)
    .sort(compareCodePoints)
    .map((key) => digestValue(data[key], numberStyle))
    .join('')
}

/** True when some top-level value is a number, i.e. when the Java spelling could give a different digest. */
export function hasNumbers (data: Record<string, unknown>): boolean {
  return Object.values(data).some((value) => typeof value === 'number')
}
