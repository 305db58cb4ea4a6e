import type { Fault } from './fault.js'

/** Which firing this is: `fault flt_2 (2 of 3)`. */
function name (fault: Fault): string {
  return fault.times === 1 ? `fault ${fault.id}` : `fault ${fault.id} (${fault.fired} of ${fault.times})`
}

/** What a fired fault did, in words: a warning of the request-log entry, and the log line. */
export function faultNote (fault: Fault): string {
  const effect = fault.effect
  switch (effect.type) {
    case 'status':
      return effect.when === 'before'
        ? `${name(fault)} fired: answered HTTP ${effect.status} without processing the request (nothing was done)`
        : `${name(fault)} fired: the request was processed, then its answer was replaced by HTTP ${effect.status}`
    case 'drop':
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
