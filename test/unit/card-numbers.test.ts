import fc from 'fast-check'
import t from 'tap'
import { isLuhnValid, maskCardNumbers, maskQuotedValue } from '../../src/domain/card-numbers.js'
import { gatewayMessage } from '../../src/domain/errors.js'
import { panArbitrary } from '../helpers/card-numbers.js'

t.test('the Luhn check', async (t) => {
  t.ok(isLuhnValid('4111111111111111'))
  t.ok(isLuhnValid('79927398713'))
  t.notOk(isLuhnValid('4111111111111112'))
  t.notOk(isLuhnValid('5160736813962037'), 'the docs\' example card is not a valid number')
})

t.test('examples: masked as everywhere else (last four digits), other numbers left alone', async (t) => {
  t.equal(maskCardNumbers('cc_number must be 12 to 19 digits, got "4111-1111-1111-1111"'), 'cc_number must be 12 to 19 digits, got "************1111"', 'the issue\'s example')
  t.equal(maskCardNumbers('card 4111 1111 1111 1111, again 4111111111111111.'), 'card ************1111, again ************1111.')
  t.equal(maskCardNumbers('remarks: 378282246310005'), 'remarks: ***********0005', 'a 15-digit Amex number')
  t.equal(maskCardNumbers('cc_number must be 12 to 19 digits, got "5160 7368 1396 2037"'), 'cc_number must be 12 to 19 digits, got "************2037"',
    'in a text about a card field, any 12 to 19 digits')
  const untouched = [
    'order_id 5160736813962037 is not an order of merchant QC00005496', // 16 digits, not Luhn-valid, no card field named
    'bizpay_order_id WX4111111111111111', // glued to letters: an id, not a card number
    'auth_code 411111111111111100000000 is not a WECHATPAY payment code', // 24 digits: longer than any card number
    'amount 41111111111 is too large', // 11 digits: shorter than any card number
    'txnTime 20260115120000 is in the future',
    'sequence_4111111111111111'
  ]
  for (const text of untouched) t.equal(maskCardNumbers(text), text, text)
})

t.test('property: a card number between any delimiters never survives masking; alone, its last four digits stay', async (t) => {
  const delimiter = fc.constantFrom('', ' ', '"', '\'', ':', '=', '(', ')', ',', '.', '/', '\n')
  fc.assert(fc.property(fc.string({ maxLength: 30 }), delimiter, panArbitrary, delimiter, fc.string({ maxLength: 30 }), (before, open, pan, close, after) => {
    // A delimiter separates the number from the text around it (an empty one only at the ends of the text).
    const head = open === '' ? '' : before + open
    const tail = close === '' ? '' : close + after
    const masked = maskCardNumbers(head + pan.written + tail)
    // Digits next to it may join it into a longer card-shaped number, masked as one: its own last four then go too.
    const lastFourShown = /\d/.test(head + tail) || masked.includes(pan.digits.slice(-4))
    return !masked.includes(pan.written) && !masked.includes(pan.digits) && lastFourShown
  }), { numRuns: 2000 })
})

t.test('property: masking is the identity on text with no 12 digits in a row', async (t) => {
  fc.assert(fc.property(fc.string({ maxLength: 60 }), (text) => {
    fc.pre(!/\d{12}/.test(text.normalize('NFKC').replace(/[ .\-/_]/g, '')))
    return maskCardNumbers(text) === text
  }), { numRuns: 2000 })
})

t.test('gatewayMessage masks the detail, so every rsp_msg does', async (t) => {
  t.equal(gatewayMessage('PARAM_INVALID', 'cc_number must be 12 to 19 digits, got "4111-1111-1111-1111"'),
    'invalid parameter: cc_number must be 12 to 19 digits, got "************1111"')
  t.equal(gatewayMessage('SUCCESS'), 'success')
})

/** A card number as people write it: groups split by (repeated) separators, glued to letters, full-width digits. */
const spelledPan = fc.record({
  pan: panArbitrary,
  separator: fc.constantFrom('', ' ', '-', '.', '/', '_', '  ', '--', ' - '),
  glue: fc.constantFrom(['', ''], ['VISA', ''], ['', '_'], ['', 'x'], ['MC', 'end']),
  fullWidth: fc.boolean()
}).map(({ pan, separator, glue, fullWidth }) => {
  const grouped = pan.digits.match(/.{1,4}/g)!.join(separator)
  const digits = fullWidth ? [...grouped].map((c) => /\d/.test(c) ? String.fromCharCode(0xFF10 + Number(c)) : c).join('') : grouped
  return { digits: pan.digits, written: glue[0] + digits + glue[1] }
})

/** What a text shows of a number once separators are gone and full-width digits folded. */
const flat = (text: string) => text.normalize('NFKC').replace(/[ .\-/_]+/g, '')

t.test('property: a card number in any spelling, inside any text, is never found unmasked after masking', async (t) => {
  const delimiter = fc.constantFrom(' ', '"', '\'', ':', '=', '(', ')', ',', '\n', '"got ')
  fc.assert(fc.property(fc.string({ maxLength: 30 }), delimiter, spelledPan, delimiter, fc.string({ maxLength: 30 }), (before, open, pan, close, after) => {
    const masked = maskCardNumbers(before + open + pan.written + close + after)
    return !flat(masked).includes(pan.digits)
  }), { numRuns: 3000 })
})

t.test('examples of the review: separators, glued letters, full-width digits; ids and short numbers stay', async (t) => {
  for (const spelling of ['4111.1111.1111.1111', '4111/1111/1111/1111', '4111  1111  1111  1111', 'VISA4111111111111111', '4111111111111111_', '４１１１１１１１１１１１１１１１']) {
    t.match(maskCardNumbers(`order_id ${spelling} is not an order`), '************1111', spelling)
  }
  t.equal(maskCardNumbers('order_id 123456 is not an order'), 'order_id 123456 is not an order')
  t.equal(maskCardNumbers('order_id ４２ is not an order'), 'order_id ４２ is not an order', 'untouched text keeps its own digits')
  t.equal(maskCardNumbers('order_id 4111111111111111 is not an order'), 'order_id ************1111 is not an order',
    'a Luhn-valid 16-digit order id is masked too (documented)')
})

t.test('a quoted value with 12 digits or more is masked, Luhn or not; other quoted values stay', async (t) => {
  t.equal(maskQuotedValue('5160.7368.1396.2037'), '************2037')
  t.equal(maskQuotedValue('https://merchant.example/r?x=5160736813962037'), 'https://merchant.example/r?x=************2037')
  t.equal(maskQuotedValue('ORDER-2026-01'), 'ORDER-2026-01')
  t.equal(gatewayMessage('PARAM_INVALID', 'channelType must be 07 or 08, got "5160736813962037"'), 'invalid parameter: channelType must be 07 or 08, got "************2037"')
  t.equal(gatewayMessage('PARAM_INVALID', 'order_id 5160736813962037 is not an order'), 'invalid parameter: order_id 5160736813962037 is not an order', 'not quoted after got: a Luhn-failing id stays')
})
