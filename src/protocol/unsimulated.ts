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

const CARD_ACTIONS = ['CC_PURCHASE', 'CC_PREAUTH'] as const
const CONVERGE = {
  actions: CARD_ACTIONS,
  flow: 'Elavon Converge-hosted payment',
  section: '§18 "API for Elavon Converge-Hosted Payment"',
  reason: 'the docs\' answer and callback for it are cut off, so the sandbox cannot answer as Converge would',
  instead: 'UnionPay SecurePay (channelType "UPAYONLINE", bizType "securePay")'
}
const PORTICO = {
  actions: CARD_ACTIONS,
  flow: 'Global Payments Portico e-commerce payment',
  section: '§19 "API for Global Payments PORTICO Ecomm Payment"',
  reason: 'its encrypted cc_number and cc_sha (Appendix A part 2) are not documented',
  instead: 'UnionPay SecurePay (channelType "UPAYONLINE", bizType "securePay")'
}

export const UNSIMULATED_FLOWS: readonly UnsimulatedFlow[] = [
  { ...CONVERGE, fields: ['channelType'], value: 'ELAVONECOM' },
  { ...CONVERGE, fields: ['bizType', 'biz_type'], value: 'converge_hosted' },
  { ...PORTICO, fields: ['channelType'], value: 'PORTICOECOM' },
  { ...PORTICO, fields: ['bizType', 'biz_type'], value: 'portico_card' },
  { ...PORTICO, fields: ['cc_channelType'], value: 'GLBPAYMNTS' }
]

/** The first unsimulated flow that `data` of `action` names, with the key that names it, if any. */
export function unsimulatedFlow (action: string, data: Readonly<Record<string, unknown>>): { flow: UnsimulatedFlow, key: string } | undefined {
  for (const flow of UNSIMULATED_FLOWS) {
    if (!flow.actions.includes(action)) continue
    const key = flow.fields.find((field) => {
      const value = data[field]
      return typeof value === 'string' && value.trim().toLowerCase() === flow.value.toLowerCase()
    })
    if (key !== undefined) return { flow, key }
  }
  return undefined
}
