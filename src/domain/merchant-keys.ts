import { randomInt } from 'node:crypto'
import { customAlphabet } from 'nanoid'

/** What a runtime merchant gets at random: unguessable, so parallel CI workers cannot use each other's. */
export interface MerchantKeys {
  /** Two capital letters and 8 digits, like real merchant ids: `RT` + 8 random digits. */
  merchantId(): string
  /** 16 random letters and digits. */
  signKey(): string
  /** The hosted links' `merCode`: 16 random letters and digits. */
  merCode(): string
}

const ALNUM = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'

/** A sign key shown without giving it away: its first and last two characters. */
export function maskKey (key: string): string {
  if (key.length <= 6) return '*'.repeat(key.length)
  return key.slice(0, 2) + '*'.repeat(key.length - 4) + key.slice(-2)
}

/** Runtime merchant ids start with this prefix, so they are told apart from fixture merchants at a glance. */
export const RUNTIME_PREFIX = 'RT'

export function createMerchantKeys (): MerchantKeys {
  const key = customAlphabet(ALNUM, 16)
  return {
    merchantId: () => RUNTIME_PREFIX + String(randomInt(100_000_000)).padStart(8, '0'),
    signKey: key,
    merCode: key
  }
}
