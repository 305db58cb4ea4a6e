import { cardOrderAction } from './card-order.js'

/** CC_PURCHASE 2.0: UnionPay SecurePay purchase; the payer pays on the sandbox's hosted card page. */
export default cardOrderAction('CC_PURCHASE', 'Create a UnionPay SecurePay purchase (hosted card page)')
