import t from 'tap'
import { cardNumbersIn, isMaskedCardField, maskCardNumbersIn, maskCardValue, maskCardsInText, maskRequest } from '../../src/domain/orders/order.js'

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

t.test('a masked-number field (cc_maskednum) is shown as sent, unless it holds a whole card number', async (t) => {
  t.ok(isMaskedCardField('cc_maskednum'))
  t.ok(isMaskedCardField('ccMaskedNumber'))
  t.notOk(isMaskedCardField('cc_number'))
  t.same(cardNumbersIn('5160736813962037'), ['5160736813962037'])
  t.same(cardNumbersIn('411111******1111'), [], 'a masked number keeps at most 10 digits in a row')
  t.same(cardNumbersIn('x 5160 7368 1396 2037 y'), ['5160 7368 1396 2037'])
  t.equal(maskCardNumbersIn('ab5160736813962037'), 'ab************2037')
  t.same(maskRequest({ cc_maskednum: '5160736813962037' }), { cc_maskednum: '************2037' })
  t.same(maskRequest({ cc_maskednum: '5160 7368 1396 2037' }), { cc_maskednum: '************2037' })
  t.same(maskRequest({ cc_maskednum: '516073681396203712345' }), { cc_maskednum: '*****************2345' }, 'longer than any card: masked all the same')
  t.same(maskRequest({ cc_maskednum: '1111', ccMaskedNumber: '411111******1111', other: '5160736813962037' }),
    { cc_maskednum: '1111', ccMaskedNumber: '411111******1111', other: '5160736813962037' }, 'last four digits or a masked number: as sent')
  t.same(maskRequest({ cc_maskednum: 5160736813962037 }), { cc_maskednum: '************2037' }, 'sent as a number')
  t.equal(maskCardsInText('{"cc_maskednum":"5160736813962037","txnAmt":"2037"}'), '{"cc_maskednum":"************2037","txnAmt":"2037"}')
  t.equal(maskCardsInText('{"cc_maskednum": "411111******1111","txnAmt":"1111"}'), '{"cc_maskednum": "411111******1111","txnAmt":"1111"}')
})

t.test('maskRequest walks nested objects and arrays; card fields by name, other strings by shape', async (t) => {
  t.same(maskRequest({ pan: '5160736813962037', ccNum: '5160736813962037', creditCardNumber: '5160 7368 1396 2037' }),
    { pan: '************2037', ccNum: '************2037', creditCardNumber: '************2037' })
  t.same(maskRequest({ cc_number: ['5160736813962037'], card: { number: '5160736813962037' } }),
    { cc_number: ['************2037'], card: { number: '************2037' } })
  t.same(maskRequest({ remarks: 'card 4111.1111.1111.1111', items: [{ note: 'VISA4111111111111111' }], order_id: '123456789012' }),
    { remarks: 'card ************1111', items: [{ note: 'VISA************1111' }], order_id: '123456789012' })
  t.same(maskRequest({ frontUrl: 'https://merchant.example/return?pan=5160736813962037' }), { frontUrl: 'https://merchant.example/return?pan=************2037' })
  t.same(maskRequest({ cc_maskednum: '5160.7368.1396.2037' }), { cc_maskednum: '************2037' })
  t.equal(maskCardsInText('{"pan":"5160736813962037","note":"4111 1111 1111 1111"}'), '{"pan":"************2037","note":"************1111"}')
})
