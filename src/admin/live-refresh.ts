/** How often a list page re-reads itself while "Live refresh" is on. */
export const LIVE_REFRESH_MS = 2000

/**
 * The "Live refresh" checkbox and its script, for a page whose changing part is `<section id="{regionId}">`.
 * The page is complete without JavaScript: the checkbox stays hidden until the script runs. The script fetches
 * the page's own URL (so filters apply) and swaps in the region only when it changed, so a screen reader's
 * `aria-live` region announces real news, not a redraw every 2 s. It pauses while focus is inside the region
 * (replacing it would throw the keyboard user out) and while the tab is hidden.
 */
export function liveRefresh (regionId: string): string {
  const id = JSON.stringify(regionId)
  return `<p id="live-refresh-control" hidden><label><input type="checkbox" id="live-refresh" checked> Live refresh</label>
<span class="muted">(every ${LIVE_REFRESH_MS / 1000} s)</span></p>
<script>
(function () {
  // The region comes after this script in the page: look it up on each tick, not once now.
  var box = document.getElementById('live-refresh')
  if (!box || !window.fetch || !window.DOMParser) return
  document.getElementById('live-refresh-control').hidden = false
  var busy = false
  setInterval(function () {
    var region = document.getElementById(${id})
    if (!region || !box.checked || busy || document.hidden || region.contains(document.activeElement)) return
    busy = true
    fetch(location.href, { headers: { accept: 'text/html' }, credentials: 'same-origin' })
      .then(function (res) { return res.ok ? res.text() : null })
      .then(function (html) {
        if (html === null) return
        var fresh = new DOMParser().parseFromString(html, 'text/html').getElementById(${id})
        if (fresh && fresh.innerHTML !== region.innerHTML) region.innerHTML = fresh.innerHTML
      })
      .catch(function () {})
      .then(function () { busy = false })
  }, ${LIVE_REFRESH_MS})
})()
</script>`
}
