import fc from 'fast-check'
import { isLuhnValid } from '../../src/domain/card-numbers.js'

/** `body` followed by the Luhn check digit that makes it a valid card number. */
function withCheckDigit (body: string): string {
  return body + [...'0123456789'].find((digit) => isLuhnValid(body + digit))!
}

/** A Luhn-valid 12 to 19 digit card number, written together or in groups of four split by spaces or dashes. */
export const panArbitrary = fc.record({
  body: fc.stringMatching(/^[0-9]{11,18}$/),
  separator: fc.constantFrom('', ' ', '-')
}).map(({ body, separator }) => {
  const digits = withCheckDigit(body)
  return { digits, written: separator === '' ? digits : digits.match(/.{1,4}/g)!.join(separator) }
})
