import t, { type Test } from 'tap'
import type { RequestLogEntry } from '../../src/inspector/log-entry.js'
import type { DataObject } from '../../src/crypto/index.js'
import { activePayData, build, callGateway, cardData, envelope } from '../helpers/build.js'
import { porticoData } from '../helpers/card-channel-data.js'
import { handSealed } from '../helpers/raw-gateway.js'

// Issue 15: a rejected card number was echoed in full on the wire (`rsp_msg … got "4111-1111-1111-1111"`).

t.test('CC_PURCHASE with a dashed card number: the rejection quotes it masked, on the wire and in the log', async (t) => {
  const { app } = await build(t)
  const answer = await callGateway(app, envelope('CC_PURCHASE', '2.0', cardData({ cc_number: '4111-1111-1111-1111' })))
  t.equal(answer.body.rsp_code, 'PARAM_INVALID')
  t.notMatch(answer.body.rsp_msg, '4111-1111-1111-1111', 'not as sent')
  t.notMatch(answer.body.rsp_msg, '4111111111111111', 'nor as digits')
  t.match(answer.body.rsp_msg, 'cc_number')
  t.match(answer.body.rsp_msg, '"************1111"', 'masked as everywhere else: the last four digits')
  const [entry] = ((await app.inject('/sandbox/api/requests?limit=1')).json() as { requests: RequestLogEntry[] }).requests
  t.equal(entry?.rsp_msg, answer.body.rsp_msg, 'the log keeps what was sent')
})

t.test('a card number sent in another field is masked too, with or without spaces', async (t) => {
  const { app } = await build(t)
  const spaced = await callGateway(app, envelope('ACTIVEPAY', '1.0', activePayData({ order_id: '4111 1111 1111 1111' })))
  t.equal(spaced.body.rsp_code, 'PARAM_INVALID')
  t.match(spaced.body.rsp_msg, /^invalid parameter: order_id .*got "\*{12}1111"$/)
  const query = await callGateway(app, envelope('STATUS_QUERY', '1.0', { order_id: '5555555555554444' }))
  t.equal(query.body.rsp_code, 'PARAM_INVALID')
  t.equal(query.body.rsp_msg, 'invalid parameter: order_id ************4444 is not an order of merchant QC00000001')
})

// An adversarial review: card numbers in spellings the masking missed, under names it did not know, and md5s that
// gave the masked digits away.

const VISA = '4111111111111111'
const DOCS_CARD = '5160736813962037'
const FULL_WIDTH = [...VISA].map((d) => String.fromCharCode(0xFF10 + Number(d))).join('')
const SPELLINGS = ['4111.1111.1111.1111', '4111/1111/1111/1111', '4111  1111  1111  1111', `VISA${VISA}`, `${VISA}_`, FULL_WIDTH]

/** The text with HTML entities decoded, full-width digits folded and every separator gone: a PAN in any spelling. */
function flat (text: string): string {
  return text.replace(/&#x([0-9a-f]+);/gi, (_all, hex: string) => String.fromCharCode(parseInt(hex, 16))).replace(/&#(\d+);/g, (_all, dec: string) => String.fromCharCode(Number(dec)))
    .normalize('NFKC').replace(/[\s.\-/_\\]+/g, '')
}

/** Asserts no surface shows `pan`: the answer's rsp_msg, the log entry's JSON, the admin request page. */
async function assertHidden (t: Test, app: Awaited<ReturnType<typeof build>>['app'], answer: { body: { rsp_msg: string } }, pan: string, name: string): Promise<RequestLogEntry> {
  t.notOk(flat(answer.body.rsp_msg).includes(pan), `${name}: rsp_msg ${answer.body.rsp_msg}`)
  const [listed] = ((await app.inject('/sandbox/api/requests?limit=1')).json() as { requests: RequestLogEntry[] }).requests
  const one = await app.inject(`/sandbox/api/requests/${listed!.id}`)
  t.equal(one.statusCode, 200)
  t.notOk(flat(one.body).includes(pan), `${name}: the log entry`)
  const page = await app.inject(`/sandbox/requests/${listed!.id}`)
  t.equal(page.statusCode, 200)
  t.notOk(flat(page.body).includes(pan), `${name}: the admin request page`)
  return one.json() as RequestLogEntry
}

t.test('rsp_msg masks a card number in any spelling, Luhn or not where it quotes a rejected value', async (t) => {
  const { app } = await build(t)
  for (const spelling of SPELLINGS) {
    const answer = await callGateway(app, envelope('ACTIVEPAY', '1.0', activePayData({ amount: spelling })))
    t.equal(answer.body.rsp_code, 'PARAM_INVALID', spelling)
    t.match(answer.body.rsp_msg, /amount/)
    await assertHidden(t, app, answer, VISA, `amount ${spelling}`)
  }
  for (const field of ['frontUrl', 'channelType', 'cc_channelType']) {
    const answer = await callGateway(app, envelope('CC_PURCHASE', '2.0', cardData({ [field]: DOCS_CARD })))
    t.equal(answer.body.rsp_code, 'PARAM_INVALID', field)
    t.match(answer.body.rsp_msg, field)
    await assertHidden(t, app, answer, DOCS_CARD, field)
  }
  const maskednum = await callGateway(app, envelope('CC_PURCHASE', '2.0', porticoData({ cc_maskednum: '5160.7368.1396.2037' })))
  t.equal(maskednum.body.rsp_code, 'PARAM_INVALID')
  await assertHidden(t, app, maskednum, DOCS_CARD, 'Portico cc_maskednum')
  // A number that fails the Luhn check under a field that is not a card's is data, shown as sent in the log; but
  // the rejection that quotes it masks it, on the wire and in the log.
  const ccType = await callGateway(app, envelope('CC_PURCHASE', '2.0', porticoData({ cc_type: DOCS_CARD })))
  t.equal(ccType.body.rsp_code, 'PARAM_INVALID')
  t.match(ccType.body.rsp_msg, /cc_type .*\*{12}2037/)
  const [entry] = ((await app.inject('/sandbox/api/requests?limit=1')).json() as { requests: RequestLogEntry[] }).requests
  t.equal(entry?.rsp_msg, ccType.body.rsp_msg)
})

t.test('the request log masks card numbers under any name, nested or in arrays, and withholds the md5s', async (t) => {
  const { app } = await build(t)
  const cases: Array<[string, DataObject, string]> = [
    ['pan', { pan: DOCS_CARD }, DOCS_CARD],
    ['cc_number in an array', { cc_number: [DOCS_CARD] } as unknown as DataObject, DOCS_CARD],
    ['card.number', { card: { number: DOCS_CARD } } as unknown as DataObject, DOCS_CARD],
    ['ccNum', { ccNum: DOCS_CARD }, DOCS_CARD],
    ['creditCardNumber', { creditCardNumber: DOCS_CARD }, DOCS_CARD],
    ['a Luhn-valid number under any name', { remarks: `paid with ${VISA}` }, VISA],
    ['a query string in frontUrl', { frontUrl: `https://merchant.example/return?pan=${DOCS_CARD}` }, DOCS_CARD]
  ]
  for (const [i, [name, extra, pan]] of cases.entries()) {
    const answer = await callGateway(app, envelope('ACTIVEPAY', '1.0', activePayData({ order_id: `MASK000${i}`, ...extra })))
    const entry = await assertHidden(t, app, answer, pan, name)
    t.match(JSON.stringify(entry), pan.slice(-4), `${name}: the last four digits are shown`)
    t.equal(entry.crypto.received_md5, null, `${name}: no received md5`)
    t.equal(entry.crypto.expected_md5, null, `${name}: no expected md5`)
    t.equal(entry.answer.md5, null, `${name}: no answer md5`)
    t.match(entry.crypto.md5_withheld, /withheld: the request carries a card number/)
    t.equal(entry.crypto.md5_matches, answer.body.rsp_code === 'SUCCESS' ? true : entry.crypto.md5_matches, `${name}: whether the md5 matched is still said`)
    t.match(JSON.parse(entry.envelope!).md5, /withheld/, `${name}: nor the envelope's md5`)
    t.notMatch(JSON.stringify(entry), /\b[0-9A-F]{32}\b/i, `${name}: no md5 anywhere`)
  }
})

t.test('an md5 mismatch of a card request: the verdict is kept, the md5s are not, and the page says why', async (t) => {
  const { app } = await build(t)
  const answer = await callGateway(app, handSealed(JSON.stringify(cardData()), 'F'.repeat(32), 'CC_PURCHASE', '2.0'))
  t.equal(answer.body.rsp_code, 'PARAM_INVALID')
  const entry = await assertHidden(t, app, answer, '5160736813962037', 'md5 mismatch')
  t.equal(entry.crypto.md5_matches, false)
  t.equal(entry.crypto.expected_md5, null)
  t.notMatch(entry.rsp_msg, /[0-9A-F]{32}/, 'the expected md5 the rsp_msg quotes is withheld in the log')
  const page = (await app.inject(`/sandbox/requests/${entry.id}`)).body
  t.match(page, /id="md5-withheld"[^>]*>The md5 values are withheld: the request carries a card number/)
  t.match(page, /id="md5-verdict"[^>]*>Mismatch/)
})
