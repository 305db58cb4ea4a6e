import { htmlDocument } from '../document.js'
import { html, raw, type SafeHtml } from '../html.js'

// A constant stylesheet: `raw` because CSS is not HTML text (escaping its quotes would break it).
// Words wrap only between words: `overflow-wrap:anywhere` breaks a word only when it cannot fit a line alone, so
// "(Beijing time)" stays whole at 390 px; only `.id` (order ids, hex, QR content) may break between any letters.
const STYLE = raw(`
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;background:#f3f4f6;color:#111827}
main{max-width:34rem;margin:3rem auto;background:#fff;border-radius:.75rem;box-shadow:0 1px 3px #0002;padding:2rem}
main.phone{max-width:24rem;padding:1.25rem}
@media (max-width:40rem){main,main.phone{margin:0 auto;border-radius:0;box-shadow:none;padding:1.25rem 1rem}}
h1{font-size:1.35rem;margin:0 0 .25rem}
.banner{background:#fef3c7;color:#92400e;font-size:.85rem;padding:.5rem .75rem;border-radius:.5rem;margin-bottom:1.25rem}
dl{display:grid;grid-template-columns:max-content minmax(0,1fr);gap:.4rem 1rem;margin:1.25rem 0}
dt{color:#6b7280}dd{margin:0;font-variant-numeric:tabular-nums;overflow-wrap:anywhere}
.id{word-break:break-all}
.amount{font-size:2rem;font-weight:600;margin:.5rem 0}
form{display:flex;gap:.75rem;flex-wrap:wrap}
button{font:inherit;padding:.6rem 1.2rem;border-radius:.5rem;border:1px solid #d1d5db;background:#fff;cursor:pointer}
button.pay{background:#b91c1c;border-color:#b91c1c;color:#fff}
form:invalid button.pay{opacity:.45;cursor:not-allowed}
button:focus-visible{outline:3px solid #2563eb;outline-offset:2px}
.status{font-weight:600}
a{color:#1d4ed8}
details.dev{margin:1.25rem 0 0;font-size:.8rem;color:#6b7280}
details.dev summary{cursor:pointer}
details.dev dl{margin:.5rem 0}
.wallet{--accent:#067a3c;text-align:center}
.wallet[data-wallet="ALIPAY"]{--accent:#1559c9}
.wallet[data-wallet="UNIONPAY"]{--accent:#b8001c}
.wallet-bar{background:var(--accent);color:#fff;border-radius:.75rem;padding:.7rem 1rem;display:flex;align-items:center;justify-content:center;gap:.5rem}
.wallet-bar h1{margin:0;font-size:1.15rem}
.wallet .to{margin:1.25rem 0 0;color:#4b5563}
.wallet .merchant{margin:.15rem 0 0;font-weight:600;overflow-wrap:anywhere}
.wallet .amount{font-size:2.25rem;margin:.5rem 0 1rem}
.wallet .qr{width:12rem;max-width:100%;margin:0 auto;padding:.5rem;border:1px solid #e5e7eb;border-radius:.5rem}
.wallet .qr svg{display:block;width:100%;height:auto}
.wallet .hint{font-size:.8rem;color:#6b7280;margin:.4rem 0 1rem}
.wallet dl{text-align:left;font-size:.9rem}
.wallet form{flex-direction:column}
.wallet form button{width:100%}
.wallet button.pay{background:var(--accent);border-color:var(--accent)}
.wallet details.dev{text-align:left}
`)

/** The shell of every hosted payer page; `phone`: a narrow page, as a wallet app shows on a phone. */
export function page (title: string, body: SafeHtml, shape?: 'phone'): SafeHtml {
  return htmlDocument(title, STYLE, html`<main${shape === 'phone' && html` class="phone"`}>
<p class="banner" role="note">OTT Pay sandbox — no real money moves. This page plays the payer.</p>
${body}
</main>`)
}
