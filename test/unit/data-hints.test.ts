import { Type } from '@sinclair/typebox'
import fc from 'fast-check'
import t from 'tap'
import type { DataObject } from '../../src/crypto/index.js'
import type { ActionDefinition } from '../../src/protocol/action.js'
import { dataHints, discriminantOf, editDistance, hintsForData, shapeFor, shapesOf, shortHintFor, type DataHint, type HintedAction } from '../../src/protocol/data-hints.js'
import { OneOf } from '../../src/protocol/fields.js'
import { ACTIONS, findAction } from '../../src/protocol/registry.js'
import { UNSIMULATED_FLOWS, unsimulatedFlow, type UnsimulatedFlow } from '../../src/protocol/unsimulated.js'
import { compile } from '../../src/protocol/validate.js'
import { activePayData, cardData, h5PayData, mappPayData, MERCHANT, passivePayData, prepayInitData, RATES } from '../helpers/build.js'
import { CONVERGE_EXAMPLE, porticoData } from '../helpers/card-channel-data.js'

const action = (name: string): ActionDefinition => {
  const definition = findAction(name)
  if (definition === undefined) throw new Error(`no action ${name}`)
  return definition
}
const codes = (hints: DataHint[]): string[] => hints.map((h) => h.code)
const CURRENCIES = { known: { fee_type: Object.keys(RATES.rates) } }

/** Portico data as the schema reads it: the gateway has turned §19a's `biz_type: " portico_card"` into bizType. */
const PORTICO: DataObject = (({ biz_type: _b, ...rest }) => ({ ...rest, bizType: 'portico_card' }))(porticoData())

/** A valid data object of every action, as the gateway tests send them. */
const VALID: Record<string, DataObject> = {
  STATUS_QUERY: { order_id: 'ORDER0001' },
  REFUND: { ori_order_id: 'ORDER0001', refund_amt: '100' },
  EX_RATE_QUERY: { fee_type: 'CAD' },
  ACTIVEPAY: activePayData(),
  H5PAY: h5PayData(),
  MAPPPAY: mappPayData(),
  CC_PURCHASE: cardData(),
  CC_PREAUTH: cardData(),
  CC_QUERYPAY: { orderId: 'CARD0001' },
  PASSIVEPAY: passivePayData(),
  PREPAY_INIT: prepayInitData(),
  PREPAY_QUERY: { prepay_order_id: 'prepay20260115132626764', merchant_id: MERCHANT.merchant_id }
}

/** One valid data object per shape of the actions whose data is a union (the card channels, in the schema's order). */
const VALID_SHAPES: Record<string, DataObject[]> = {
  CC_PURCHASE: [cardData(), { ...CONVERGE_EXAMPLE }, PORTICO],
  CC_PREAUTH: [cardData(), { ...CONVERGE_EXAMPLE }, PORTICO]
}

/** Every shape of every action's data, with its valid sample: the property tests' cases. */
const SHAPES = ACTIONS.flatMap((definition) => {
  const samples = VALID_SHAPES[definition.action] ?? [VALID[definition.action]!]
  return shapesOf(definition.data.schema).map((shape, i) => ({ definition, shape, sample: samples[i]!, label: `${definition.action} ${String(shape.title ?? '')}`.trim() }))
})

t.test('the issue\'s example: {"Currency type": "CYN"} names fee_type and CNY', async (t) => {
  const hints = dataHints(action('EX_RATE_QUERY'), { 'Currency type': 'CYN' }, CURRENCIES)
  t.same(codes(hints), ['FIELD_NAME_IS_DESCRIPTION', 'VALUE_TYPO'])
  t.match(hints[0]!.message, 'the data has "Currency type", the docs\' description of the field they call fee_type (Currency type), not its name')
  t.match(hints[0]!.message, 'rename the key to fee_type')
  t.equal(hints[0]!.field, 'fee_type')
  t.equal(hints[0]!.short, 'did you mean fee_type? (the data has "Currency type")')
  t.match(hints[1]!.message, '"Currency type" (fee_type) is "CYN", which is not a valid value; did you mean "CNY"?')
  t.equal(hints[1]!.short, 'did you mean "CNY"?')
  t.same(codes(dataHints(action('EX_RATE_QUERY'), { 'Currency type': 'CNY' }, CURRENCIES)), ['FIELD_NAME_IS_DESCRIPTION'], 'a known currency under the wrong key: only the key')
  t.same(codes(dataHints(action('EX_RATE_QUERY'), { 'Currency type': 'CYN' })), ['FIELD_NAME_IS_DESCRIPTION'], 'no currencies given: no guess at one')
  t.same(codes(dataHints(action('EX_RATE_QUERY'), { fee_type: 'CYN' }, CURRENCIES)), ['VALUE_TYPO'], 'the right key, the value misspelt')
  t.same(codes(dataHints(action('EX_RATE_QUERY'), { fee_type: 'XQZ' }, CURRENCIES)), [], 'a value close to no known one: no guess')
})

t.test('a required field missing while a look-alike key is present', async (t) => {
  const without = (name: string, extra: DataObject, data = activePayData()): DataObject => {
    const copy = { ...data, ...extra }
    delete copy[name]
    return copy
  }
  t.test('case, spaces, underscores and hyphens → FIELD_NAME_SPELLING', async (t) => {
    for (const key of ['Amount', 'AMOUNT', ' amount ']) {
      const hints = dataHints(action('ACTIVEPAY'), without('amount', { [key]: '100' }))
      t.same(codes(hints), ['FIELD_NAME_SPELLING'], key)
      t.match(hints[0]!.message, `the data has "${key}"; the docs spell this field amount, which is required`)
    }
    for (const key of ['callback_url', 'callBackUrl', 'Call back URL', 'call-back-url']) {
      t.same(codes(dataHints(action('ACTIVEPAY'), without('call_back_url', { [key]: 'https://merchant.example/cb' }))), ['FIELD_NAME_SPELLING'], key)
    }
    t.same(codes(dataHints(action('CC_PURCHASE'), without('txnAmt', { txn_amt: '2500' }, cardData()))), ['FIELD_NAME_SPELLING'], 'snake case of a camelCase field')
  })
  t.test('another API\'s name → FIELD_NAME_ALIAS, mapped to the action\'s own field', async (t) => {
    const total = dataHints(action('ACTIVEPAY'), without('amount', { total_fee: '100' }))
    t.same(codes(total), ['FIELD_NAME_ALIAS'])
    t.match(total[0]!.message, 'the data has "total_fee", another API\'s name for amount (Transaction amount in cents, "100" for 1.00), which is required: rename the key to amount')
    t.same(dataHints(action('CC_PURCHASE'), without('txnAmt', { amount: '2500' }, cardData()))[0]?.field, 'txnAmt', 'amount → txnAmt on card actions')
    t.same(dataHints(action('REFUND'), { ori_order_id: 'ORDER0001', amount: '100' })[0]?.field, 'refund_amt', 'amount → refund_amt on REFUND')
    t.same(dataHints(action('ACTIVEPAY'), without('call_back_url', { notify_url: 'https://merchant.example/cb' }))[0]?.field, 'call_back_url', 'notify_url')
    t.same(dataHints(action('CC_PURCHASE'), without('backUrl', { call_back_url: 'https://merchant.example/cb' }, cardData()))[0]?.field, 'backUrl', 'call_back_url → backUrl')
    t.same(dataHints(action('H5PAY'), without('currency_type', { currency: 'CAD' }, h5PayData()))[0]?.field, 'currency_type', 'Portico\'s currency')
    t.same(dataHints(action('CC_PURCHASE'), without('merchant_id', { merId: MERCHANT.merchant_id }, cardData()))[0]?.field, 'merchant_id', 'Portico\'s merId')
  })
  t.test('the docs\' description as the key → FIELD_NAME_IS_DESCRIPTION', async (t) => {
    const hints = dataHints(action('ACTIVEPAY'), without('amount', { 'Transaction Amount': '100' }))
    t.same(codes(hints), ['FIELD_NAME_IS_DESCRIPTION'])
    t.same(hints[0]!.field, 'amount')
    t.same(dataHints(action('CC_PURCHASE'), without('txnTime', { 'Transaction Time': '20260115120000' }, cardData()))[0]?.field, 'txnTime')
    t.same(dataHints(action('REFUND'), { ori_order_id: 'ORDER0001', 'Refund amount': '100' }).map((h) => [h.code, h.field]), [['FIELD_NAME_ALIAS', 'refund_amt']],
      'the docs\' "Refund amount" is not the schema\'s description ("Cents to refund"), but refund_amount is a known other name')
  })
  t.test('a typo → FIELD_NAME_TYPO, for an optional field too (which would be ignored)', async (t) => {
    const hints = dataHints(action('ACTIVEPAY'), without('amount', { amout: '100' }))
    t.same(codes(hints), ['FIELD_NAME_TYPO'])
    t.match(hints[0]!.message, 'the data has "amout", not a field of this action; did you mean amount (Transaction amount in cents, "100" for 1.00), which is required? Rename the key to amount')
    const tips = dataHints(action('ACTIVEPAY'), activePayData({ tips: '50' }))
    t.same(codes(tips), ['FIELD_NAME_TYPO'])
    t.match(tips[0]!.message, 'which is optional: the key as sent is ignored')
    t.same(codes(dataHints(action('PASSIVEPAY'), passivePayData({ call_back_ur: 'https://merchant.example/cb' }))), ['FIELD_NAME_TYPO'], 'PASSIVEPAY\'s optional call_back_url: no callback without it')
  })
  t.test('no look-alike: a field that is there, a key far from every name, the documented variants', async (t) => {
    t.same(dataHints(action('ACTIVEPAY'), activePayData({ amout: '1' })), [], 'amount is there: "amout" is left alone')
    t.same(dataHints(action('ACTIVEPAY'), activePayData({ remark: 'hello', note: 'x' })), [])
    t.same(dataHints(action('ACTIVEPAY'), activePayData({ Tip: '5', bizType: 'WECHATPAY' })), [], 'Tip and bizType are documented variants')
    t.same(dataHints(action('ACTIVEPAY'), without('amount', { xy: '100' })), [], 'two characters are never read as a typo')
  })
})

t.test('an enum value close to a valid one', async (t) => {
  const typo = dataHints(action('ACTIVEPAY'), activePayData({ biz_type: 'WECHATAY' }))
  t.same(codes(typo), ['VALUE_TYPO'])
  t.equal(typo[0]!.message, 'biz_type is "WECHATAY", which is not a valid value; did you mean "WECHATPAY"? (valid: "WECHATPAY", "ALIPAY", "UNIONPAY")')
  t.equal(typo[0]!.short, 'did you mean "WECHATPAY"?')
  const lower = dataHints(action('ACTIVEPAY'), activePayData({ biz_type: ' wechatpay' }))
  t.same(codes(lower), ['VALUE_CASE'])
  t.match(lower[0]!.message, 'values are case-sensitive: send "WECHATPAY"')
  t.same(codes(dataHints(action('CC_PURCHASE'), cardData({ bizType: 'SecurePay' }))), ['VALUE_CASE'], 'bizType securePay')
  t.same(codes(dataHints(action('H5PAY'), h5PayData({ currency_type: 'CDA' }))), ['VALUE_TYPO'])
  t.same(dataHints(action('CC_PURCHASE'), cardData({ bizType: ' securePay' })), [], 'a trimmed field: the docs\' " securePay" is fine')
  t.same(dataHints(action('ACTIVEPAY'), activePayData({ biz_type: 'PAYPAL' })), [], 'a value close to none: no guess')

  // A field the action does not trim (none of the sandbox's enums is one today): spaces are the mistake.
  const schema = Type.Object({ kind: OneOf(['ONE', 'TWO'] as const, 'Kind of thing') })
  const untrimmed: HintedAction = { action: 'TEST', data: compile(schema) }
  const spaces = dataHints(untrimmed, { kind: ' ONE ' })
  t.same(codes(spaces), ['VALUE_SPACES'])
  t.equal(spaces[0]!.message, 'kind is " ONE ": remove the surrounding spaces, send "ONE"')
})

t.test('a value of the wrong type', async (t) => {
  const number = dataHints(action('ACTIVEPAY'), activePayData({ amount: 100 }))
  t.same(codes(number), ['NUMBERS_NOT_STRINGS'], 'a number: accepted (turned into a string), hinted as before')
  t.match(number[0]!.message, '"amount" is a number; the docs send every value as a string ("100" for 1.00)')
  const boolean = dataHints(action('ACTIVEPAY'), activePayData({ amount: true }))
  t.same(codes(boolean), ['WRONG_TYPE'])
  t.equal(boolean[0]!.message, 'amount is a boolean (true), but the docs send it as a string: send a string, e.g. "100"')
  t.match(dataHints(action('ACTIVEPAY'), activePayData({ biz_type: null }))[0]!.message, 'biz_type is null, but the docs send it as a string: send a string, e.g. "WECHATPAY"')
  t.match(dataHints(action('ACTIVEPAY'), activePayData({ tip: null }))[0]!.message, 'tip is null, but the docs send it as a string: send a string, e.g. "100", or leave the key out')
  t.match(dataHints(action('ACTIVEPAY'), activePayData({ call_back_url: ['https://a.example'] }))[0]!.message, 'call_back_url is an array, but the docs send it as a string: send a string')
  t.match(dataHints(action('ACTIVEPAY'), activePayData({ operator_id: { id: 1 } }))[0]!.message, 'operator_id is an object')

  t.test('dollars where cents are documented → AMOUNT_NOT_CENTS', async (t) => {
    const dollars = dataHints(action('ACTIVEPAY'), activePayData({ amount: '1.50' }))
    t.same(codes(dollars), ['AMOUNT_NOT_CENTS'])
    t.equal(dollars[0]!.message, 'amount is "1.50", which reads as dollars: amounts are whole cents as a string of digits, send "150" for 1.50')
    t.same(codes(dataHints(action('ACTIVEPAY'), activePayData({ amount: 1.5 }))), ['AMOUNT_NOT_CENTS', 'NUMBERS_NOT_STRINGS'], 'a number with a fraction')
    t.match(dataHints(action('ACTIVEPAY'), activePayData({ amount: 1.5 }))[0]!.message, 'send "150" for 1.5')
    t.match(dataHints(action('REFUND'), { ori_order_id: 'A', refund_amt: '.5' })[0]!.message, 'send "50"')
    t.match(dataHints(action('CC_PURCHASE'), cardData({ txnAmt: '25.00' }))[0]!.message, 'send "2500"')
  })
})

t.test('the data of a card channel is read against that channel\'s shape', async (t) => {
  const schema = action('CC_PURCHASE').data.schema
  const [unionPay, converge, portico] = shapesOf(schema)
  t.equal(discriminantOf(schema), 'channelType')
  t.equal(discriminantOf(action('ACTIVEPAY').data.schema), undefined, 'one shape: no discriminant')
  t.same(shapesOf(action('ACTIVEPAY').data.schema), [action('ACTIVEPAY').data.schema])
  t.equal(shapeFor(schema, cardData()), unionPay)
  t.equal(shapeFor(schema, CONVERGE_EXAMPLE), converge)
  t.equal(shapeFor(schema, porticoData()), portico, 'not Converge, whose cc_channelType is the constant "web" too')
  t.equal(shapeFor(schema, { ...CONVERGE_EXAMPLE, channelType: ' elavonecom ' }), converge, 'spaces and case aside')
  t.equal(shapeFor(schema, { ...CONVERGE_EXAMPLE, bizType: 'securePay' }), converge, 'channelType decides, as in validation')
  t.equal(shapeFor(schema, { ...CONVERGE_EXAMPLE, channelType: 'ELAVONCOM' }), converge, 'a typo of a channel: that channel')
  t.equal(shapeFor(schema, porticoData({ channelType: 'PORTICOEOM' })), portico, 'a typo of a channel: that channel')
  t.equal(shapeFor(schema, { ...CONVERGE_EXAMPLE, channelType: 'STRIPE' }), unionPay, 'an unknown channel: the first shape, as in validation')
  t.equal(shapeFor(schema, { ...CONVERGE_EXAMPLE, channelType: 'x'.repeat(100_000) }), unionPay, 'a long value: the first shape')
  const { channelType: _c, ...noChannel } = porticoData()
  t.equal(shapeFor(schema, noChannel), unionPay, 'no channelType and no key naming a channel: the first')
  t.equal(shapeFor(schema, { ...noChannel, channeltype: 'PORTICOECOM' }), portico, 'channelType misspelt: the channel its value names')

  const masked = porticoData({ cc_masked_num: '1111' })
  delete masked.cc_maskednum
  t.same(dataHints(action('CC_PURCHASE'), masked).map((h) => [h.code, h.field]), [['FIELD_NAME_SPELLING', 'cc_maskednum']], 'a field only Portico has')
  t.same(dataHints(action('CC_PURCHASE'), { ...CONVERGE_EXAMPLE, cc_channelType: 'mobile' }).map((h) => h.code), [], 'Converge is "web" only, and "mobile" is no near miss of it')

  t.test('a near miss of a channel\'s constant names it', async (t) => {
    const channel = dataHints(action('CC_PURCHASE'), { ...CONVERGE_EXAMPLE, channelType: 'ELAVONCOM' })
    t.same(codes(channel), ['VALUE_TYPO'], 'read against every channel\'s channelType, not only the first shape\'s')
    t.equal(channel[0]!.message, 'channelType is "ELAVONCOM", which is not a valid value; did you mean "ELAVONECOM"? (valid: "UPAYONLINE", "ELAVONECOM", "PORTICOECOM")')
    t.equal(shortHintFor('channelType must be one of "UPAYONLINE", "ELAVONECOM", "PORTICOECOM", got "ELAVONCOM"', channel), 'did you mean "ELAVONECOM"?')
    const portico = dataHints(action('CC_PREAUTH'), porticoData({ channelType: 'PORTICOEOM' }))
    t.same(codes(portico), ['VALUE_TYPO'], 'read against Portico\'s fields: no word of UnionPay\'s merchant_id for merId')
    t.match(portico[0]!.message, 'did you mean "PORTICOECOM"?')
    t.same(codes(dataHints(action('CC_PURCHASE'), { ...CONVERGE_EXAMPLE, channelType: 'elavonecom' })), ['VALUE_CASE'])
    const biz = dataHints(action('CC_PURCHASE'), { ...CONVERGE_EXAMPLE, bizType: 'converge_hostd' })
    t.same(codes(biz), ['VALUE_TYPO'])
    t.equal(biz[0]!.message, 'bizType is "converge_hostd", which is not a valid value; did you mean "converge_hosted"? (valid: "converge_hosted")')
    t.same(dataHints(action('CC_PURCHASE'), { ...CONVERGE_EXAMPLE, channelType: 'STRIPE' }), [], 'a channel close to none: no guess')
  })
})

t.test('a flow the docs describe but the sandbox does not simulate', async (t) => {
  t.test('the sandbox\'s table is empty: Converge (§18) and Portico (§19) are simulated', async (t) => {
    t.same(UNSIMULATED_FLOWS, [])
    for (const name of ['CC_PURCHASE', 'CC_PREAUTH']) {
      t.same(dataHints(action(name), CONVERGE_EXAMPLE), [], `${name}: the docs' §18 example, as printed, gets no hint at all`)
      t.same(dataHints(action(name), porticoData()), [], `${name}: a Portico request as §19a's table has it gets no hint at all`)
      t.equal(unsimulatedFlow(name, CONVERGE_EXAMPLE), undefined)
      t.equal(unsimulatedFlow(name, porticoData({ cc_channelType: 'GLBPAYMNTS' })), undefined)
    }
  })

  // The table is empty, so the mechanism is tested against a made-up row (no such flow exists in the docs), given
  // through DataHintOptions.unsimulated and unsimulatedFlow's third argument.
  const TELEPATHY: UnsimulatedFlow = {
    actions: ['CC_PURCHASE', 'CC_PREAUTH'],
    fields: ['bizType', 'biz_type'],
    value: 'telepathy_pay',
    flow: 'Telepathic payment',
    section: '§99 (made up for this test)',
    reason: 'no payer can be simulated thinking',
    instead: 'the three card channels'
  }
  const MADE_UP = { unsimulated: [TELEPATHY] }

  for (const name of ['CC_PURCHASE', 'CC_PREAUTH']) {
    const hints = dataHints(action(name), cardData({ bizType: ' Telepathy_Pay' }), MADE_UP)
    t.same(codes(hints), ['FLOW_NOT_SIMULATED'], `${name}: the value compared without spaces or case`)
    t.equal(hints[0]!.message, 'bizType "telepathy_pay" asks for the Telepathic payment (docs §99 (made up for this test)), which the sandbox does not ' +
      `simulate: no payer can be simulated thinking. The sandbox simulates ${name} for the three card channels`)
    t.equal(hints[0]!.short, 'the Telepathic payment (docs §99) is not simulated by the sandbox')
    t.same(codes(dataHints(action(name), cardData({ bizType: ' Telepathy_Pay' }))), [], `${name}: the sandbox's own (empty) table knows no such flow`)
  }
  t.same(unsimulatedFlow('CC_PURCHASE', { biz_type: 'telepathy_pay' }, [TELEPATHY]), { flow: TELEPATHY, key: 'biz_type' }, 'found under the other spelling too')
  t.equal(unsimulatedFlow('CC_PURCHASE', { bizType: 'telepathy' }, [TELEPATHY]), undefined, 'only the whole value')
  t.equal(unsimulatedFlow('CC_PURCHASE', { biz_type: 'telepathy_pay' }), undefined, 'not in the sandbox\'s table')

  t.test('every row of a table is recognised, and only for its actions', async (t) => {
    const table = [TELEPATHY, { ...TELEPATHY, fields: ['channelType'], value: 'MINDLINK', flow: 'Mindlink' }]
    for (const flow of table) {
      for (const field of flow.fields) {
        for (const name of flow.actions) {
          t.same(codes(dataHints(action(name), cardData({ [field]: flow.value }), { unsimulated: table })).slice(0, 1), ['FLOW_NOT_SIMULATED'], `${name} ${field} ${flow.value}`)
          t.match(dataHints(action(name), cardData({ [field]: flow.value }), { unsimulated: table })[0]!.message, `${field} "${flow.value}" asks for the ${flow.flow} `)
        }
      }
      t.notOk(codes(dataHints(action('CC_QUERYPAY'), { orderId: 'X', [flow.fields[0]!]: flow.value }, { unsimulated: table })).includes('FLOW_NOT_SIMULATED'),
        `CC_QUERYPAY accepts ${flow.value} (it reads only the order id)`)
    }
  })

  t.test('shortHintFor prefers the flow\'s hint, whatever field the message is about', async (t) => {
    const hints = dataHints(action('CC_PURCHASE'), cardData({ bizType: 'telepathy_pay' }), MADE_UP)
    t.equal(shortHintFor('bizType must be one of "securePay", got "telepathy_pay"', hints), 'the Telepathic payment (docs §99) is not simulated by the sandbox')
    t.equal(shortHintFor('merchant_id is required', hints), 'the Telepathic payment (docs §99) is not simulated by the sandbox')
  })
})

t.test('shortHintFor: a hint about the field the message is about', async (t) => {
  const hints = dataHints(action('EX_RATE_QUERY'), { 'Currency type': 'CYN' }, CURRENCIES)
  t.equal(shortHintFor('fee_type is required', hints), 'did you mean fee_type? (the data has "Currency type")')
  t.equal(shortHintFor('amount is required', hints), undefined, 'a hint about another field adds nothing')
  t.equal(shortHintFor('biz_type must be one of …', dataHints(action('ACTIVEPAY'), activePayData({ biz_type: 'WECHATAY' }))), 'did you mean "WECHATPAY"?')
  t.equal(shortHintFor('amount is required', []), undefined)
})

t.test('hintsForData: by action name, as { code, message } like diagnose()', async (t) => {
  t.same(hintsForData('NO_SUCH_ACTION', { a: 1 }), [])
  const hints = hintsForData('EX_RATE_QUERY', { 'Currency type': 'CYN' }, CURRENCIES)
  t.same(hints.map((h) => Object.keys(h)), [['code', 'message'], ['code', 'message']])
})

t.test('editDistance counts insertions, deletions, substitutions and adjacent swaps', async (t) => {
  t.equal(editDistance('CYN', 'CNY'), 1)
  t.equal(editDistance('WECHATAY', 'WECHATPAY'), 1)
  t.equal(editDistance('amout', 'amount'), 1)
  t.equal(editDistance('', 'abc'), 3)
  t.equal(editDistance('kitten', 'sitting'), 3)
  fc.assert(fc.property(fc.string({ maxLength: 12 }), fc.string({ maxLength: 12 }), (a, b) => {
    const d = editDistance(a, b)
    return d === editDistance(b, a) && d <= Math.max(a.length, b.length) && (d === 0) === (a === b)
  }))
})

t.test('properties', async (t) => {
  t.test('every shape has a valid sample that the hints read against that shape', async (t) => {
    t.equal(SHAPES.length, ACTIONS.length + 4, 'the card actions\' two shapes each besides UnionPay\'s')
    for (const { definition, shape, sample, label } of SHAPES) {
      t.equal(definition.data.problem(sample), undefined, `${label}: the sample is valid`)
      t.equal(shapeFor(definition.data.schema, sample), shape, `${label}: the sample is read against its shape`)
      t.ok(Array.isArray(shape.required) && shape.required.length > 0, `${label}: has required fields`)
    }
  })

  t.test('valid data, with any optional fields left out and any enum values, gets no hints', async (t) => {
    // Labels rather than definitions in the cases, so that a counterexample prints short.
    const cases = SHAPES.map(({ label }) => label)
    fc.assert(fc.property(fc.constantFrom(...cases), fc.infiniteStream(fc.boolean()), fc.infiniteStream(fc.nat()), (label, drop, pick) => {
      const { definition, shape, sample } = SHAPES.find((c) => c.label === label)!
      const data: DataObject = { ...sample }
      const properties = shape.properties as Record<string, { anyOf?: Array<{ const: string }> }>
      const required = new Set<string>(shape.required as string[])
      for (const [name, schema] of Object.entries(properties)) {
        if (!required.has(name) && drop.next().value) delete data[name]
        else if (schema.anyOf !== undefined && name in data && !/currency/.test(name)) data[name] = schema.anyOf[pick.next().value % schema.anyOf.length]!.const
      }
      if (definition.data.problem(data) !== undefined) return true // e.g. frontUrl, which cc_channelType "web" needs: not this property's concern
      return dataHints(definition, data, CURRENCIES).length === 0
    }))
    t.pass('100 random valid requests, of every card channel too')
  })

  t.test('a one-character typo of any required key is found and named', async (t) => {
    // Labels rather than definitions in the cases, so that a counterexample prints short. Every required key of
    // every shape: the card actions' UnionPay, Converge and Portico fields alike.
    const required = SHAPES.flatMap(({ shape, label }) => (shape.required as string[]).map((name) => ({ name, label })))
    t.ok(required.some((r) => r.name === 'cc_maskednum') && required.some((r) => r.label.includes('Converge') && r.name === 'cc_channelType'), 'Portico\'s and Converge\'s required keys are among the cases')
    const typo = fc.tuple(fc.constantFrom(...required), fc.constantFrom('insert', 'delete', 'replace', 'swap'), fc.nat(), fc.constantFrom(...'abcxyzAEQ_ -1'.split('')))
      .map(([{ label, name }, op, at, ch]) => {
        const i = at % name.length
        const key = op === 'insert'
          ? name.slice(0, i) + ch + name.slice(i)
          : op === 'delete'
            ? name.slice(0, i) + name.slice(i + 1)
            : op === 'replace'
              ? name.slice(0, i) + ch + name.slice(i + 1)
              : name.slice(0, i) + name.slice(i + 1, i + 2) + name.slice(i, i + 1) + name.slice(i + 2)
        return { label, name, key }
      })
      .filter(({ label, name, key }) => {
        const { definition, shape } = SHAPES.find((c) => c.label === label)!
        return key !== name && !(key in (shape.properties as object)) && !(key in (definition.aliases ?? {}))
      })
    fc.assert(fc.property(typo, ({ label, name, key }) => {
      const { definition, sample } = SHAPES.find((c) => c.label === label)!
      const data: DataObject = { ...sample, [key]: sample[name] }
      delete data[name]
      const hint = dataHints(definition, data).find((h) => h.code.startsWith('FIELD_NAME_'))
      return hint !== undefined && hint.field === name && hint.message.includes(`"${key}"`) && shortHintFor(`${name} is required`, [hint]) !== undefined
    }), { numRuns: 500 })
    t.pass('500 random typos')
  })
})
