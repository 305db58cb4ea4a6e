/** Masks a card number to its last four digits: `************2037`. */
export function maskCard (number: string): string {
  const digits = number.replace(/\D/g, '')
  if (digits.length <= 4) return '*'.repeat(digits.length)
  return '*'.repeat(digits.length - 4) + digits.slice(-4)
}

/**
 * Card numbers (PANs) in free text, e.g. a rejection that quotes what the client sent. A PAN is 12 to 19 digits
 * that pass the Luhn check, written together or in groups split by spaces, dots, dashes, slashes or underscores
 * ("4111-1111-1111-1111", "4111.1111.1111.1111", "4111  1111  1111  1111"), full-width digits too ("４１１１…").
 * Letters glued to it do not hide it ("VISA4111111111111111", "4111111111111111_"), except the sandbox's own id
 * prefixes (`WX0000000000000001`, `SBX…`) and the end of a snake_case name (`sequence_4111…`), which are ids; a
 * longer number (a 24-digit auth code) stays readable.
 * In a text that names a card field (`cc_number`, `card_no`, `pan`…) every 12 to 19 digits count, Luhn or not: the
 * docs' own example card fails the check.
 */

/** What may split the groups of a card number as people write it. */
const SEPARATOR = /[ .\-/_]+/g

/**
 * A run of digit groups split by separators, with no digit on either side. Letters before it are captured, to
 * tell an id prefix (`WX`) from a brand glued to a card number (`VISA`).
 */
// The letters are taken only from the start of their run (or none): `\p{L}*` tried at every letter of a long word
// made this quadratic (a minute for 200,000 letters, on every logged request).
const DIGIT_RUN = /(?<!\p{N})((?<!\p{L})\p{L}+|)(\d+(?:[ .\-/_]+\d+)*)(?!\p{N})/gu

/** Letters before digits that make an id, not a card number: the sandbox's own id prefixes. */
const ID_PREFIX = /^(?:WX|SBX)$/

/** A card field's name as a word of the text (the names of isCardField). */
const CARD_FIELD_NAME = /\b(?:cc|cc_?num(?:ber)?|card(?:_?n(?:o|um(?:ber)?))?|pan|credit_?card(?:_?n(?:o|um(?:ber)?))?)\b/i

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

/** Digits in any script NFKC folds to ASCII (full-width `４１１１`, …) as ASCII digits; everything else as it is. */
export function asciiDigits (text: string): string {
  return text.replace(/[^ -~]/g, (c) => {
    const folded = c.normalize('NFKC')
    return /^\d$/.test(folded) ? folded : c
  })
}

/** Masks, from left to right, the longest PAN that starts at each group of a run; other groups stay as they are. */
function maskRun (run: string, isPan: (digits: string) => boolean): string {
  const groups = run.split(SEPARATOR)
  const separators = run.match(SEPARATOR) ?? []
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
  return maskIn(text, CARD_FIELD_NAME.test(asciiDigits(text)))
}

/**
 * The text with every Luhn-valid card number masked, whatever names it holds: for a whole request's text, where a
 * card field's name must not make its txnTime or order id a card number too (card fields are masked by name).
 */
export function maskCardNumbersByShape (text: string): string {
  return maskIn(text, false)
}

function maskIn (text: string, anyDigits: boolean): string {
  const ascii = asciiDigits(text)
  const isPan = anyDigits ? (digits: string) => digits.length >= 12 && digits.length <= 19 : isCardNumber
  const masked = ascii.replace(DIGIT_RUN, (all, letters: string, run: string, offset: number) => {
    if (run.replace(SEPARATOR, '').length < 12) return all
    // An id: the sandbox's own prefix.
    if (ID_PREFIX.test(letters)) return all
    // The first group ends a snake_case name (`sequence_4111…`): it stays, what follows it is masked as usual.
    if (letters === '' && ascii[offset - 1] === '_') {
      const head = /^\d+[ .\-/_]*/.exec(run)![0]
      return head + (head.length < run.length ? maskRun(run.slice(head.length), isPan) : '')
    }
    return letters + maskRun(run, isPan)
  })
  // Untouched text keeps its own digits (full-width ones included).
  return masked === ascii ? text : masked
}

/**
 * A value quoted back to the client ("…, got "X""): any run of 12 digits or more (separators aside) masked, Luhn
 * or not. The value failed its field's rule, so no order id or amount is lost; a card number typed in the wrong
 * field, or the docs' example card (which fails the Luhn check), would otherwise go back out in full.
 */
export function maskQuotedValue (value: string): string {
  return asciiDigits(value).replace(/\d+(?:[ .\-/_]+\d+)*/g, (run) => run.replace(SEPARATOR, '').length >= 12 ? maskCard(run) : run)
}

/** A detail with each value it quotes after `got` masked as {@link maskQuotedValue}. */
export function maskQuotedValues (detail: string): string {
  return detail.replace(/(\bgot ")((?:[^"\\]|\\.)*)"/g, (_all, head: string, value: string) => `${head}${maskQuotedValue(value)}"`)
}
