import { htmlDocument } from '../document.js'
import { html, raw, type SafeHtml } from '../html.js'

// A constant stylesheet: `raw` because CSS is not HTML text (escaping its quotes would break it).
const STYLE = raw(`
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
`)

/** The shell of every hosted payer page. */
export function page (title: string, body: SafeHtml): SafeHtml {
  return htmlDocument(title, STYLE, html`<main>
<p class="banner" role="note">OTT Pay sandbox — no real money moves. This page plays the payer.</p>
${body}
</main>`)
}
