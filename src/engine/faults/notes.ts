import type { Fault } from './fault.js'

/** What a dropped callback's delivery says, after `fault flt_1 fired: ` in the log and `dropped by fault flt_1: ` in its attempt. */
export const DROPPED = 'the callback was not sent, as if lost on the way, and is not retried (the merchant must poll STATUS_QUERY; a redelivery sends it)'

/** Which firing this is: `fault flt_2 (2 of 3)`. */
function name (fault: Fault): string {
  return fault.times === 1 ? `fault ${fault.id}` : `fault ${fault.id} (${fault.fired} of ${fault.times})`
}

/** The error of the attempt a `drop` callback fault records instead of sending: `dropped by fault flt_1: …`. */
export function droppedAttemptError (fault: Fault): string {
  return `dropped by ${name(fault)}: ${DROPPED}`
}

/** Reads the fault id back from such an attempt error (the readiness check names it). */
export const DROPPED_ATTEMPT = /^dropped by fault (flt_\d+)/

/** What a fired fault did, in words: a warning of the request-log entry, and the log line. */
export function faultNote (fault: Fault): string {
  const effect = fault.effect
  switch (effect.type) {
    case 'status':
      return effect.when === 'before'
        ? `${name(fault)} fired: answered HTTP ${effect.status} without processing the request (nothing was done)`
        : `${name(fault)} fired: the request was processed, then its answer was replaced by HTTP ${effect.status}`
    case 'drop':
      if (fault.match.on === 'callback') return `${name(fault)} fired: ${DROPPED}`
      return effect.when === 'before'
        ? `${name(fault)} fired: the connection was closed without processing the request (nothing was done)`
        : `${name(fault)} fired: the request was processed, then the connection was closed without an answer`
    case 'delay':
      return fault.match.on === 'gateway'
        ? `${name(fault)} fired: the request was processed and the answer held back ${effect.ms} ms`
        : `${name(fault)} fired: the callback's first attempt was postponed ${effect.ms} ms (sandbox clock)`
    case 'corrupt':
      return effect.target === 'data'
        ? `${name(fault)} fired: the request was processed, then the answer's data was cut short so it does not decrypt`
        : `${name(fault)} fired: the request was processed, then the answer was sent with a wrong md5`
    case 'duplicate':
      return `${name(fault)} fired: the callback will be sent twice, with the same notification id`
    case 'out_of_order':
      return `${name(fault)} fired: the callback is held until the merchant's next callback has been sent (at most ${effect.ms} ms, sandbox clock)`
  }
}
