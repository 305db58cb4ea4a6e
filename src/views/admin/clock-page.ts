import { html, type SafeHtml } from '../html.js'
import { adminPage, durationText, flash, timeTag } from './layout.js'

/** What a form post on the clock page did, as `?done=` names it. */
export const CLOCK_DONE = {
  advanced: 'Advanced: autopay, expiry and callback attempts that fell due on the way have run.'
} as const

export interface ClockPageData {
  /** The sandbox's time, ms since the epoch. */
  nowMs: number
  offsetMs: number
  done?: keyof typeof CLOCK_DONE | undefined
  error?: string | undefined
  canLogOut: boolean
}

/** Beijing time (UTC+8, no daylight saving): the protocol's `finish_time` and `txnTime` are in it. */
export function beijingText (ms: number): string {
  return new Date(ms + 8 * 3_600_000).toISOString().slice(0, 19).replace('T', ' ') + ' Beijing time (UTC+8)'
}

/** The virtual clock (GET /sandbox/clock): what time the sandbox thinks it is, and a form to move it forward. */
export function renderClockPage (data: ClockPageData): SafeHtml {
  const iso = new Date(data.nowMs).toISOString()
  return adminPage({ title: 'Clock', section: 'clock', canLogOut: data.canLogOut, clockOffsetMs: data.offsetMs }, html`<h1>Clock</h1>
<p>The sandbox runs on a virtual clock: move it forward and autopay, order expiry and callback retries that fall due
on the way run in order, as if the time had passed. It never goes back, except that a full reset
(<code>POST /sandbox/api/reset</code>) puts it back to real time. The control API: <code>/sandbox/api/clock</code>.</p>
${flash(data.done === undefined ? undefined : CLOCK_DONE[data.done], data.error)}
<dl class="card" id="clock">
<dt>Sandbox time</dt><dd id="clock-now">${timeTag(iso)}</dd>
<dt>Same, in Beijing</dt><dd>${beijingText(data.nowMs)}</dd>
<dt>Ahead of real time</dt><dd id="clock-offset">${data.offsetMs === 0 ? 'not at all (real time)' : durationText(data.offsetMs)}</dd>
</dl>
<form class="card stacked" method="post" action="/sandbox/clock/advance" aria-labelledby="advance-heading">
<h2 id="advance-heading">Move the clock forward</h2>
<label for="advance-amount">By</label>
<input id="advance-amount" name="amount" inputmode="numeric" pattern="[0-9]*" maxlength="9" size="8" value="15" required>
<select id="advance-unit" name="unit" aria-label="Unit">
<option value="s">seconds</option><option value="min" selected>minutes</option><option value="h">hours</option><option value="d">days</option>
</select>
<p class="hint">At most a year. Callbacks due on the way are sent before the page comes back.</p>
<p><button type="submit" class="primary">Advance</button></p>
</form>`)
}
