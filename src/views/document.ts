import { html, type SafeHtml } from './html.js'

/**
 * The HTML document around every page, admin and payer alike: self-contained on purpose (CI containers are
 * offline, so no web fonts, no CDN, no external stylesheet). `style` is the layout's constant stylesheet.
 */
export function htmlDocument (title: string, style: SafeHtml, body: SafeHtml): SafeHtml {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<link rel="icon" href="/favicon.svg" type="image/svg+xml">
<style>${style}</style>
</head>
<body>
${body}
</body>
</html>
`
}
