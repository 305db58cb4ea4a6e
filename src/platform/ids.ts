import { customAlphabet } from 'nanoid'

/** Every identifier the sandbox invents comes from here, so tests can swap in a predictable counter. */
export interface Ids {
  /** An order id for requests that leave `order_id` out: alphanumeric, 24 characters. */
  orderId(): string
  /** The acquirer's order id, e.g. `WX` + 16 digits. */
  bizpayOrderId(prefix: string): string
  /** The variable part of a wallet QR `code_url`. */
  qrToken(): string
  /** The token in a hosted payer page's URL. */
  pageToken(): string
  /** A callback delivery (notification) id. */
  deliveryId(): string
}

const ALNUM = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'

export function createIds (): Ids {
  const orderId = customAlphabet('0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ', 24)
  const digits = customAlphabet('0123456789', 16)
  const qr = customAlphabet(ALNUM, 9)
  const page = customAlphabet(ALNUM, 21)
  return {
    orderId,
    bizpayOrderId: (prefix) => prefix + digits(),
    qrToken: qr,
    pageToken: page,
    deliveryId: () => 'cb_' + page()
  }
}

/** Predictable ids (`SBX000000000000000000001`, `WX0000000000000001`, …) for tests and reproducible runs. */
export function createCounterIds (): Ids {
  let n = 0
  const next = (width: number) => String(++n).padStart(width, '0')
  return {
    orderId: () => 'SBX' + next(21),
    bizpayOrderId: (prefix) => prefix + next(16),
    qrToken: () => 'qr' + next(7),
    pageToken: () => 'page' + next(17),
    deliveryId: () => 'cb_' + next(8)
  }
}
