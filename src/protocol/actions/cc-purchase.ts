import { cardOrderAction } from './card-order.js'

/** CC_PURCHASE 2.0: a card purchase through UnionPay SecurePay, Elavon Converge (hosted) or Global Payments Portico. */
export default cardOrderAction('CC_PURCHASE', 'Create a card purchase: UnionPay SecurePay or Elavon Converge (hosted card page), Global Payments Portico (encrypted card data)')
