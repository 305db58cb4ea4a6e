import t from 'tap'
import { maskCardValue, maskCardsInText, maskRequest } from '../../src/domain/orders/order.js'

// Portico's cc_number is encrypted card data in Base64: its digits mean nothing, and it may start with some.
const ENCRYPTED = '1234567890abcdefABCDEF+/1234567890abcdefABCDEF+/'

t.test('a card number is masked to its last four digits; other text to its length', async (t) => {
  t.equal(maskCardValue('5160736813962037'), '************2037')
  t.equal(maskCardValue('5160 7368 1396 2037'), '************2037')
  t.equal(maskCardValue(ENCRYPTED), '[48 characters, not shown]')
  t.same(maskRequest({ cc_number: ENCRYPTED, cc_maskednum: '1111' }), { cc_number: '[48 characters, not shown]', cc_maskednum: '1111' })
})

t.test('in a text, encrypted card data is replaced whole, never in part', async (t) => {
  t.equal(maskCardsInText(`{"cc_number":"${ENCRYPTED}","txnAmt":"1234"}`, [ENCRYPTED]), '{"cc_number":"[48 characters, not shown]","txnAmt":"1234"}')
  t.equal(maskCardsInText(`{"cc_number":"${ENCRYPTED}"}`), `{"cc_number":"${ENCRYPTED}"}`, 'digits that start Base64 are not taken for a card number')
  t.equal(maskCardsInText('{"cc_number":"5160736813962037"}'), '{"cc_number":"************2037"}')
  t.equal(maskCardsInText('{"card_no": "5160 7368 1396 2037"}'), '{"card_no": "************2037"}')
})
