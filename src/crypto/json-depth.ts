/**
 * How deeply a JSON text nests its objects and arrays, measured without recursion.
 *
 * Decrypted processV2 data is a flat object of strings in the docs. Data nested thousands of levels deep once passed
 * the md5 check, got stored and later broke the store's JSON writes (JSON.stringify recurses): so the depth is
 * checked at the JSON step, before the md5, by a loop over the text that no input can make overflow the stack.
 */

/** Deepest nesting of objects and arrays accepted in decrypted data; the data object itself is level 1. */
export const MAX_DATA_DEPTH = 32

/** What {@link jsonDepth} found. */
export interface JsonDepth {
  /** The deepest nesting in the text (0 for a bare string, number, `true`, `false` or `null`). */
  depth: number
  /** Where the first object or array deeper than the limit starts, as a path such as `$.extra[0][0]`; undefined within it. */
  tooDeepAt: string | undefined
}

interface Frame {
  array: boolean
  /** The key, as its JSON literal, of the member being read (objects), or the index of the element (arrays): the next step of a path. */
  key: string
  index: number
  /** In an object, true until the `:` of the member: the next string is its key. */
  expectKey: boolean
}

/** Long keys are cut short so a path stays a readable, single-line message. */
const MAX_KEY = 32

function keyOf (literal: string): string {
  try {
    const key: unknown = JSON.parse(literal)
    return typeof key === 'string' ? key : literal
  } catch {
    return literal
  }
}

/** One step of a path: `.name` for plain keys, `["a b"]` (JSON-escaped, so never a line break) for the rest. */
function step (frame: Frame): string {
  if (frame.array) return `[${frame.index}]`
  const whole = keyOf(frame.key)
  const key = whole.length > MAX_KEY ? `${whole.slice(0, MAX_KEY)}…` : whole
  return /^[A-Za-z_$][\w$]*$/.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`
}

/**
 * Scans a JSON text once and returns its deepest nesting and, when that is over `limit`, the path of the first
 * object or array beyond it. Strings (and brackets inside them) are skipped; on text that is not JSON the result is
 * a best effort, so parse the text too. Memory stays bounded by `limit`, not by the depth of the text.
 */
export function jsonDepth (text: string, limit = MAX_DATA_DEPTH): JsonDepth {
  // The containers open at levels 1..limit: enough to spell the path of the first one beyond.
  const frames: Frame[] = []
  let depth = 0
  let deepest = 0
  let tooDeepAt: string | undefined
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (c === 0x22) { // "
      const start = i
      for (i++; i < text.length; i++) {
        const s = text.charCodeAt(i)
        if (s === 0x5c) i++ // \ escapes the next character, a quote included
        else if (s === 0x22) break
      }
      const top = depth <= limit ? frames[depth - 1] : undefined
      if (top !== undefined && !top.array && top.expectKey) top.key = text.slice(start, i + 1)
    } else if (c === 0x7b || c === 0x5b) { // { [
      depth++
      if (depth > deepest) deepest = depth
      if (depth === limit + 1 && tooDeepAt === undefined) tooDeepAt = `$${frames.map(step).join('')}`
      if (depth <= limit) frames.push({ array: c === 0x5b, key: '', index: 0, expectKey: c === 0x7b })
    } else if (c === 0x7d || c === 0x5d) { // } ]
      if (depth <= limit) frames.pop()
      if (depth > 0) depth--
    } else if (c === 0x2c || c === 0x3a) { // , :
      const top = depth <= limit ? frames[depth - 1] : undefined
      if (top === undefined) continue
      if (c === 0x3a) top.expectKey = false
      else if (top.array) top.index++
      else top.expectKey = true
    }
  }
  return { depth: deepest, tooDeepAt }
}

/** The explanation of a text nested deeper than {@link MAX_DATA_DEPTH}, or undefined when it is not. */
export function tooDeep (text: string, what: string): string | undefined {
  const { depth, tooDeepAt } = jsonDepth(text, MAX_DATA_DEPTH)
  if (tooDeepAt === undefined) return undefined
  return `${what} is nested too deeply: ${depth} levels of objects and arrays, the limit is ${MAX_DATA_DEPTH} ` +
    `(level ${MAX_DATA_DEPTH + 1} starts at ${tooDeepAt})`
}
