import { decimalAmount, type ReturnTarget } from '../orders/return-to-merchant.js'

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }

/** Escapes text for HTML content and attribute values. */
export function escapeHtml (value: unknown): string {
  return String(value ?? '').replace(/[&<>"']/g, (c) => ESCAPES[c]!)
}

/** `1234` cents → `12.34 CAD`. */
export function formatAmount (cents: string, currency: string): string {
  return `${decimalAmount(cents)} ${currency}`
}

/**
 * The way back to the merchant after a hosted page: a link (GET) or a form POSTing the result, and, when `auto`,
 * a script that follows it after a moment as the real pages do. Nothing when there is nowhere to return to.
 */
export function returnToMerchant (target: ReturnTarget | undefined, auto: boolean): string {
  if (target === undefined) return ''
  const follow = target.method === 'GET'
    ? 'location.href = document.getElementById("return").href'
    : 'document.getElementById("return").submit()'
  const script = auto ? `\n<script>setTimeout(function () { ${follow} }, 1500)</script>` : ''
  if (target.method === 'GET') {
    return `<p><a id="return" href="${escapeHtml(target.url)}">Return to the merchant</a></p>${script}`
  }
  const inputs = Object.entries(target.fields)
    .map(([name, value]) => `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`).join('\n')
  return `<form id="return" method="post" action="${escapeHtml(target.url)}">
${inputs}
<button type="submit">Return to the merchant</button>
</form>${script}`
}

const STYLE = `
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;background:#f3f4f6;color:#111827}
main{max-width:34rem;margin:3rem auto;background:#fff;border-radius:.75rem;box-shadow:0 1px 3px #0002;padding:2rem}
h1{font-size:1.35rem;margin:0 0 .25rem}
.banner{background:#fef3c7;color:#92400e;font-size:.85rem;padding:.5rem .75rem;border-radius:.5rem;margin-bottom:1.25rem}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.4rem 1rem;margin:1.25rem 0}
dt{color:#6b7280}dd{margin:0;font-variant-numeric:tabular-nums;word-break:break-all}
.amount{font-size:2rem;font-weight:600;margin:.5rem 0}
form{display:flex;gap:.75rem;flex-wrap:wrap}
button{font:inherit;padding:.6rem 1.2rem;border-radius:.5rem;border:1px solid #d1d5db;background:#fff;cursor:pointer}
button.pay{background:#b91c1c;border-color:#b91c1c;color:#fff}
button:focus-visible{outline:3px solid #2563eb;outline-offset:2px}
.status{font-weight:600}
a{color:#1d4ed8}
`

/** The shell of every hosted page: self-contained (no external assets, CI is offline). */
export function page (title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<main>
<p class="banner" role="note">OTT Pay sandbox — no real money moves. This page plays the payer.</p>
${body}
</main>
</body>
</html>
`
}

/** A payer page's error: what went wrong, in words, never a stack trace. */
export function renderPageError (message: string): string {
  return page('Request not understood', `<h1>Request not understood</h1>
<p role="alert">${escapeHtml(message)}</p>`)
}
