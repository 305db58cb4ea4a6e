/**
 * Flows the OTT Pay docs describe through processV2 but the sandbox does not simulate, recognised by a field's
 * value. One row per telltale value; a flow that becomes simulated loses its rows here and nothing else.
 */
export interface UnsimulatedFlow {
  /** The actions the flow's requests are sent as. */
  actions: readonly string[]
  /** The field (and the spellings the docs use for it) whose value names the flow. */
  fields: readonly string[]
  /** The value, compared without surrounding spaces and ignoring case (the docs print `" portico_card"`). */
  value: string
  /** The flow, as the docs title it. */
  flow: string
  /** Where the docs describe it (docs.ottpay.com "Payment Web API"; sections as in the README's reference). */
  section: string
  /** Why the sandbox does not answer it. */
  reason: string
  /** What the sandbox simulates for these actions instead. */
  instead: string
}

// Empty since Converge (§18) and Portico (§19) became simulated: every processV2 flow the docs describe is answered.
// What stays unverifiable inside a simulated flow (Portico's encrypted cc_number and cc_sha) is an inspector warning
// of that flow instead. A flow found in the docs later gets its telltale values here until it is simulated.
export const UNSIMULATED_FLOWS: readonly UnsimulatedFlow[] = []

/**
 * The first unsimulated flow of `flows` (the sandbox's table unless told, e.g. a test's own row while the table is
 * empty) that `data` of `action` names, with the key that names it, if any.
 */
export function unsimulatedFlow (action: string, data: Readonly<Record<string, unknown>>, flows: readonly UnsimulatedFlow[] = UNSIMULATED_FLOWS): { flow: UnsimulatedFlow, key: string } | undefined {
  for (const flow of flows) {
    if (!flow.actions.includes(action)) continue
    const key = flow.fields.find((field) => {
      const value = data[field]
      return typeof value === 'string' && value.trim().toLowerCase() === flow.value.toLowerCase()
    })
    if (key !== undefined) return { flow, key }
  }
  return undefined
}
