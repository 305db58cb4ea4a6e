import { html, raw, type SafeHtml } from '../html.js'

/**
 * `text` as an inline SVG QR code, labelled for screen readers. Inline HTML SVG needs no `xmlns`, and dropping it
 * keeps every `http://` out of the page (the offline check looks for them). A text too long to encode gets a
 * sentence instead of an error page: the text itself is shown next to the code anyway.
 *
 * The QR library loads on the first code drawn, not at the start (issue 13: start fast).
 */
export async function qrSvg (text: string, label: string): Promise<SafeHtml> {
  const { default: QRCode } = await import('qrcode')
  let svg: string
  try {
    svg = await QRCode.toString(text, { type: 'svg', margin: 1 })
  } catch (err) {
    return html`<p class="muted">No QR code: ${(err as Error).message}</p>`
  }
  const open = html`<svg role="img" aria-label="${label}" focusable="false" `
  // `raw`: the library's SVG draws `text` as path data, never as markup; the only text we add is the escaped label.
  return raw(svg.trim()
    .replace(' xmlns="http://www.w3.org/2000/svg"', '')
    .replace('<svg ', () => open.toString()))
}
