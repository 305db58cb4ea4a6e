import { cardOrderAction } from './card-order.js'

/** CC_PREAUTH 2.0: as CC_PURCHASE, but a paid order is `authorised` (and cannot be refunded). */
export default cardOrderAction('CC_PREAUTH', 'Create a card pre-authorisation (UnionPay SecurePay, Elavon Converge, Global Payments Portico)')
