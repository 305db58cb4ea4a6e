import { html, raw, type SafeHtml } from '../html.js'

/** How often a list page re-reads itself while "Live refresh" is on. */
export const LIVE_REFRESH_MS = 2000

// A constant script (`raw`: escaping would break its quotes); it reads the region's id from the control's data-region.
const SCRIPT = raw(`<script>
(function () {
  // The region comes after this script in the page: look it up on each tick, not once now.
  var box = document.getElementById('live-refresh')
  var control = document.getElementById('live-refresh-control')
  if (!box || !control || !window.fetch || !window.DOMParser) return
  var id = control.getAttribute('data-region')
  control.hidden = false
  var busy = false
  setInterval(function () {
    var region = document.getElementById(id)
    if (!region || !box.checked || busy || document.hidden || region.contains(document.activeElement)) return
    busy = true
    fetch(location.href, { headers: { accept: 'text/html' }, credentials: 'same-origin' })
      .then(function (res) { return res.ok ? res.text() : null })
      .then(function (html) {
        if (html === null) return
        var fresh = new DOMParser().parseFromString(html, 'text/html').getElementById(id)
        if (fresh && fresh.innerHTML !== region.innerHTML) region.innerHTML = fresh.innerHTML
        // A region that says it is settled (an order with nothing pending) will not change by itself: stop.
        if (fresh && fresh.hasAttribute('data-settled')) {
          region.setAttribute('data-settled', 'true')
          box.checked = false
          control.hidden = true
        }
      })
      .catch(function () {})
      .then(function () { busy = false })
  }, ${LIVE_REFRESH_MS})
})()
</script>`)

/**
 * The "Live refresh" checkbox and its script, for a page whose changing part is `<section id="{regionId}">`.
 * The page is complete without JavaScript: the checkbox stays hidden until the script runs. The script fetches
 * the page's own URL (so filters apply) and swaps in the region only when it changed, so a screen reader's
 * `aria-live` region announces real news, not a redraw every 2 s. It pauses while focus is inside the region
 * (replacing it would throw the keyboard user out) and while the tab is hidden, and stops once the fresh region
 * carries `data-settled` (an order page with nothing pending).
 */
export function liveRefresh (regionId: string): SafeHtml {
  return html`<p id="live-refresh-control" data-region="${regionId}" hidden><label><input type="checkbox" id="live-refresh" checked> Live refresh</label>
<span class="muted">(every ${LIVE_REFRESH_MS / 1000} s)</span></p>
${SCRIPT}`
}
