import { maskCard } from './orders/order.js'

/**
 * Card numbers (PANs) in free text, e.g. a rejection that quotes what the client sent. A PAN is 12 to 19 digits
 * that pass the Luhn check, written together or in groups split by single spaces or dashes ("4111-1111-1111-1111"),
 * and not part of a longer word or number: ids such as `WX0000000000000001` or a 24-digit auth code stay readable.
 * In a text that names a card field (`cc_number`, `card_no`…) every 12 to 19 digits count, Luhn or not: the docs'
 * own example card fails the check.
 */

/** A run of digit groups split by single spaces or dashes, with no letter, digit or `_` on either side. */
const DIGIT_RUN = /(?<![\p{L}\p{N}_])\d+(?:[ -]\d+)*(?![\p{L}\p{N}_])/gu

/** A card field's name as a word of the text (the names of isCardField). */
const CARD_FIELD_NAME = /\b(?:cc_?number|card_?n(?:o|um(?:ber)?))\b/i

/** The Luhn (mod 10) check every card number passes. */
export function isLuhnValid (digits: string): boolean {
  let sum = 0
  for (let i = 0; i < digits.length; i++) {
    let digit = digits.charCodeAt(digits.length - 1 - i) - 48
    if (i % 2 === 1) digit = digit * 2 > 9 ? digit * 2 - 9 : digit * 2
    sum += digit
  }
  return sum % 10 === 0
}

/** 12 to 19 digits that pass the Luhn check: the shape of every payment card number. */
export function isCardNumber (digits: string): boolean {
  return digits.length >= 12 && digits.length <= 19 && isLuhnValid(digits)
}

/** Masks, from left to right, the longest PAN that starts at each group of a run; other groups stay as they are. */
function maskRun (run: string, isPan: (digits: string) => boolean): string {
  const groups = run.split(/[ -]/)
  const separators = run.match(/[ -]/g) ?? []
  let out = ''
  let i = 0
  while (i < groups.length) {
    let end = -1
    for (let j = i, digits = ''; j < groups.length && digits.length <= 19; j++) {
      digits += groups[j]
      if (isPan(digits)) end = j
    }
    if (i > 0) out += separators[i - 1]
    if (end === -1) {
      out += groups[i]
      i += 1
    } else {
      out += maskCard(groups.slice(i, end + 1).join(''))
      i = end + 1
    }
  }
  return out
}

/** The text with every card number in it masked to its last four digits, as everywhere else: `************1111`. */
export function maskCardNumbers (text: string): string {
  const isPan = CARD_FIELD_NAME.test(text) ? (digits: string) => digits.length >= 12 && digits.length <= 19 : isCardNumber
  return text.replace(DIGIT_RUN, (run) => run.length < 12 ? run : maskRun(run, isPan))
}
