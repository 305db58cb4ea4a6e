const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }

/** Escapes text for HTML content and quoted attribute values (both quote kinds). */
export function escapeHtml (value: unknown): string {
  return String(value ?? '').replace(/[&<>"']/g, (c) => ESCAPES[c]!)
}

/**
 * Markup known to be safe: built by `html` (which escaped everything put into it) or by `raw` (trusted constants).
 * The class is not exported, so no other module can wrap an arbitrary string: the type is the proof.
 */
class Markup {
  readonly #text: string

  constructor (text: string) {
    this.#text = text
  }

  toString (): string {
    return this.#text
  }
}

export type SafeHtml = Markup

/** What a template may interpolate: text and numbers are escaped, SafeHtml is kept, nothing renders as ''. */
export type HtmlValue = SafeHtml | string | number | false | null | undefined | readonly HtmlValue[]

export function isSafeHtml (value: unknown): value is SafeHtml {
  return value instanceof Markup
}

/** A URL a page may link or post to: http(s) or same-site. `javascript:`, `data:` and the like are not. */
export function isSafeUrl (url: string): boolean {
  try {
    // The browsers' own parser: it strips the tabs, newlines and leading spaces that hide a `javascript:`.
    const { protocol } = new URL(url, 'http://relative.invalid/')
    return protocol === 'http:' || protocol === 'https:'
  } catch {
    return false
  }
}

/** What an unsafe URL becomes: a link to nowhere (`about:invalid` is inert and says why in devtools). */
export const UNSAFE_URL = 'about:invalid#unsafe-url'

// An interpolation right after `href="`, `src="`, `action="` or `formaction="` is a URL that the browser follows.
const URL_ATTRIBUTE = /\s(?:href|src|action|formaction)=["']$/i

function render (value: HtmlValue): string {
  if (value === null || value === undefined || value === false) return ''
  if (Array.isArray(value)) return value.map(render).join('')
  if (value instanceof Markup) return value.toString()
  return escapeHtml(value)
}

// A URL is text, never markup: SafeHtml or a list there is refused, as is a URL that is not http(s) or same-site.
function renderUrl (value: HtmlValue): string {
  if (value === null || value === undefined || value === false) return ''
  if (typeof value !== 'string' && typeof value !== 'number') return UNSAFE_URL
  return isSafeUrl(String(value)) ? escapeHtml(value) : UNSAFE_URL
}

/**
 * The only way to build markup: every interpolated value is escaped unless it is already SafeHtml; arrays are
 * joined; `null`, `undefined` and `false` render as nothing (so `cond && html\`…\`` works). A value in a URL
 * attribute (`href="${url}"`) must also be an http(s) or same-site URL, or it becomes `about:invalid`.
 * Attribute values must be quoted: escaping does not protect an unquoted one.
 */
export function html (strings: TemplateStringsArray, ...values: HtmlValue[]): SafeHtml {
  let out = strings[0]!
  for (let i = 0; i < values.length; i++) {
    out += URL_ATTRIBUTE.test(strings[i]!) ? renderUrl(values[i]) : render(values[i])
    out += strings[i + 1]!
  }
  return new Markup(out)
}

/**
 * Trusted markup as it is, never escaped. Only for constants written in this code (inline styles and scripts,
 * whose text HTML escaping would break) and for markup a library generated (the QR code's SVG). Never for a value
 * that came from a request, a fixture or the store.
 */
export function raw (trusted: string): SafeHtml {
  return new Markup(trusted)
}

/** Items joined by a separator, e.g. `join(cells, html\`, \`)`. */
export function join (items: readonly HtmlValue[], separator: SafeHtml): SafeHtml {
  return new Markup(items.map(render).join(separator.toString()))
}
