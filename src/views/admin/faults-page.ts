import type { Fault, FaultEffectType } from '../../engine/faults/fault.js'
import { html, join, type SafeHtml } from '../html.js'
import { adminPage, durationText, flash, timeTag, type SelectOption } from './layout.js'

/** What a form post on the faults page did, as `?done=` names it. */
export const FAULTS_DONE = {
  armed: 'Armed: the fault fires on the next matching gateway call or callback.',
  disarmed: 'Disarmed.'
} as const

export interface FaultsPageData {
  faults: Fault[]
  merchants: SelectOption[]
  /** The actions a fault can match. */
  actions: readonly string[]
  done?: keyof typeof FAULTS_DONE | undefined
  error?: string | undefined
  canLogOut: boolean
  clockOffsetMs?: number | undefined
}

/** What an armed fault does, in words. */
export function effectText (fault: Fault): string {
  const e = fault.effect
  switch (e.type) {
    case 'status': return `answer HTTP ${e.status} (${e.when === 'after' ? 'after processing' : 'without processing'})`
    case 'delay': return `delay ${durationText(e.ms)}${e.ms % 1000 === 0 ? '' : ` (${e.ms} ms)`}`
    case 'drop': return fault.match.on === 'callback'
      ? 'drop the callback (never sent, not retried)'
      : `drop the connection (${e.when === 'after' ? 'after processing' : 'without processing'})`
    case 'corrupt': return `spoil the answer's ${e.target}`
    case 'duplicate': return 'send the callback twice'
    case 'out_of_order': return `hold the callback until the merchant's next one (at most ${durationText(e.ms)})`
  }
}

function row (fault: Fault): SafeHtml {
  return html`<tr id="fault-${fault.id}">
<td><code>${fault.id}</code></td>
<td>${fault.match.on}</td>
<td>${fault.match.merchant_id ?? 'any'}</td>
<td>${fault.match.action ?? 'any'}</td>
<td>${effectText(fault)}</td>
<td class="num">${fault.fired} / ${fault.times}</td>
<td>${timeTag(fault.armed_at)}</td>
<td><form method="post" action="${`/sandbox/faults/${encodeURIComponent(fault.id)}/disarm`}"><button type="submit" aria-label="Disarm ${fault.id}">Disarm</button></form></td>
</tr>`
}

function table (faults: readonly Fault[]): SafeHtml {
  if (faults.length === 0) return html`<p id="no-faults">No fault is armed: every gateway call and callback behaves.</p>`
  return html`<table id="faults">
<caption class="muted">${faults.length} armed, first to fire first</caption>
<thead><tr><th scope="col">Id</th><th scope="col">On</th><th scope="col">Merchant</th><th scope="col">Action</th><th scope="col">Effect</th><th scope="col">Fired / times</th><th scope="col">Armed</th><th scope="col">Disarm</th></tr></thead>
<tbody>
${join(faults.map(row), html`\n`)}
</tbody>
</table>
<form method="post" action="/sandbox/faults/disarm-all"><button type="submit">Disarm all</button></form>`
}

function options (list: readonly SelectOption[], anyLabel: string | undefined): SafeHtml {
  return html`${anyLabel !== undefined && html`<option value="">${anyLabel}</option>`}${list.map((o) => html`<option value="${o.value}">${o.label}</option>`)}`
}

// What each effect does and what it acts on; keyed by the effect type, so a new effect needs its line here.
const EFFECT_HINTS: Record<FaultEffectType, string> = {
  status: 'answer an HTTP error (gateway)',
  delay: 'answer late (gateway) or postpone (callback)',
  drop: 'close the connection (gateway) or lose the callback (callback)',
  corrupt: 'spoil the sealed answer (gateway)',
  duplicate: 'send the callback twice (callback)',
  out_of_order: 'hold the callback (callback)'
}

// An option reads "status: answer an HTTP error (gateway)".
const EFFECTS: SelectOption[] = Object.entries(EFFECT_HINTS).map(([effect, hint]) => ({ value: effect, label: `${effect}: ${hint}` }))

function armForm (data: FaultsPageData): SafeHtml {
  const actions = data.actions.map((a) => ({ value: a, label: a }))
  return html`<form class="card stacked" method="post" action="/sandbox/faults" aria-labelledby="arm-heading">
<h2 id="arm-heading">Arm a fault</h2>
<label for="fault-effect">Effect</label>
<select id="fault-effect" name="effect">${options(EFFECTS, undefined)}</select>
<label for="fault-on">Acts on</label>
<select id="fault-on" name="on"><option value="">default (callbacks for duplicate, out_of_order)</option><option value="gateway">gateway calls</option><option value="callback">callbacks</option></select>
<label for="fault-status">HTTP status (status)</label>
<input id="fault-status" name="status" inputmode="numeric" pattern="[0-9]*" maxlength="3" size="5" value="503">
<label for="fault-ms">Milliseconds (delay, out_of_order)</label>
<input id="fault-ms" name="ms" inputmode="numeric" pattern="[0-9]*" maxlength="12" size="12">
<p class="hint">Gateway delays are real time (at most 120000); callback delays run on the sandbox clock.</p>
<label for="fault-when">When (status, gateway drop)</label>
<select id="fault-when" name="when"><option value="">before: the request is not processed</option><option value="after">after: processed, then the answer is lost</option></select>
<label for="fault-target">Target (corrupt)</label>
<select id="fault-target" name="target"><option value="">data: cut short, does not decrypt</option><option value="md5">md5: a wrong md5</option></select>
<label for="fault-merchant">Merchant</label>
<select id="fault-merchant" name="merchant_id">${options(data.merchants, 'any merchant')}</select>
<label for="fault-action">Action</label>
<select id="fault-action" name="action">${options(actions, 'any action')}</select>
<label for="fault-times">Times</label>
<input id="fault-times" name="times" inputmode="numeric" pattern="[0-9]*" maxlength="7" size="7" value="1">
<p class="hint">How many matching calls or callbacks it hits; then it disarms itself.</p>
<p><button type="submit" class="primary">Arm</button></p>
</form>`
}

/** Fault injection (GET /sandbox/faults): the armed faults, and a form to arm one. */
export function renderFaultsPage (data: FaultsPageData): SafeHtml {
  return adminPage({ title: 'Faults', section: 'faults', canLogOut: data.canLogOut, clockOffsetMs: data.clockOffsetMs }, html`<h1>Faults</h1>
<p>Make the next gateway call or callback fail on purpose, to test how your integration copes. The oldest armed
fault that matches fires. The control API does the same at <code>/sandbox/api/faults</code>.</p>
${flash(data.done === undefined ? undefined : FAULTS_DONE[data.done], data.error)}
<section aria-label="Armed faults">
${table(data.faults)}
</section>
${armForm(data)}`)
}
