/**
 * The data and answer of every processV2 action, derived from the sandbox's own schemas (one source of truth).
 * Type-only imports: nothing here exists at run time, so the client loads none of the server's code.
 */
import type { Static } from '@sinclair/typebox'
import type { DataObject } from '../crypto/index.js'
import type { GatewayCode } from '../domain/errors.js'
import type { ActivePayAnswerSchema, ActivePayDataSchema } from '../protocol/actions/active-pay.js'
import type { CardOrderAnswerSchema, CardOrderDataSchema } from '../protocol/actions/card-order.js'
import type { CcQueryPayAnswerSchema, CcQueryPayDataSchema } from '../protocol/actions/cc-query-pay.js'
import type { ExRateQueryAnswerSchema, ExRateQueryDataSchema } from '../protocol/actions/ex-rate-query.js'
import type { H5PayAnswerSchema, H5PayDataSchema } from '../protocol/actions/h5-pay.js'
import type { MappPayAnswerSchema, MappPayDataSchema } from '../protocol/actions/mapp-pay.js'
import type { PassivePayAnswerSchema, PassivePayDataSchema } from '../protocol/actions/passive-pay.js'
import type { PrepayInitAnswerSchema, PrepayInitDataSchema } from '../protocol/actions/prepay-init.js'
import type { PrepayQueryAnswerSchema, PrepayQueryDataSchema } from '../protocol/actions/prepay-query.js'
import type { RefundAnswerSchema, RefundDataSchema } from '../protocol/actions/refund.js'
import type { StatusQueryAnswerSchema, StatusQueryDataSchema } from '../protocol/actions/status-query.js'

/** An Appendix B code: what `rsp_code` holds. */
export type RspCode = GatewayCode

export type StatusQueryData = Static<typeof StatusQueryDataSchema>
export type StatusQueryAnswer = Static<typeof StatusQueryAnswerSchema>
export type RefundData = Static<typeof RefundDataSchema>
export type RefundAnswer = Static<typeof RefundAnswerSchema>
export type ExRateQueryData = Static<typeof ExRateQueryDataSchema>
export type ExRateQueryAnswer = Static<typeof ExRateQueryAnswerSchema>
export type ActivePayData = Static<typeof ActivePayDataSchema>
export type ActivePayAnswer = Static<typeof ActivePayAnswerSchema>
export type H5PayData = Static<typeof H5PayDataSchema>
export type H5PayAnswer = Static<typeof H5PayAnswerSchema>
export type MappPayData = Static<typeof MappPayDataSchema>
export type MappPayAnswer = Static<typeof MappPayAnswerSchema>
/** CC_PURCHASE and CC_PREAUTH take the same data. */
export type CardOrderData = Static<typeof CardOrderDataSchema>
export type CardOrderAnswer = Static<typeof CardOrderAnswerSchema>
export type CcQueryPayData = Static<typeof CcQueryPayDataSchema>
export type CcQueryPayAnswer = Static<typeof CcQueryPayAnswerSchema>
export type PassivePayData = Static<typeof PassivePayDataSchema>
export type PassivePayAnswer = Static<typeof PassivePayAnswerSchema>
export type PrepayInitData = Static<typeof PrepayInitDataSchema>
export type PrepayInitAnswer = Static<typeof PrepayInitAnswerSchema>
export type PrepayQueryData = Static<typeof PrepayQueryDataSchema>
export type PrepayQueryAnswer = Static<typeof PrepayQueryAnswerSchema>

/** Every action the sandbox answers: its versions, its data and its answer's data. */
export interface Actions {
  STATUS_QUERY: { version: '1.0', data: StatusQueryData, answer: StatusQueryAnswer }
  REFUND: { version: '1.0', data: RefundData, answer: RefundAnswer }
  EX_RATE_QUERY: { version: '1.0', data: ExRateQueryData, answer: ExRateQueryAnswer }
  ACTIVEPAY: { version: '1.0', data: ActivePayData, answer: ActivePayAnswer }
  H5PAY: { version: '2.0', data: H5PayData, answer: H5PayAnswer }
  MAPPPAY: { version: '1.1' | '1.0', data: MappPayData, answer: MappPayAnswer }
  CC_PURCHASE: { version: '2.0', data: CardOrderData, answer: CardOrderAnswer }
  CC_PREAUTH: { version: '2.0', data: CardOrderData, answer: CardOrderAnswer }
  CC_QUERYPAY: { version: '2.0', data: CcQueryPayData, answer: CcQueryPayAnswer }
  PASSIVEPAY: { version: '1.0', data: PassivePayData, answer: PassivePayAnswer }
  PREPAY_INIT: { version: '2.0', data: PrepayInitData, answer: PrepayInitAnswer }
  PREPAY_QUERY: { version: '2.0', data: PrepayQueryData, answer: PrepayQueryAnswer }
}

export type ActionName = keyof Actions

/** The answer data of `action`: typed for the sandbox's actions, any data object for others. */
export type AnswerFor<A extends string> = A extends ActionName ? Actions[A]['answer'] : DataObject

/**
 * What `request` returns. SUCCESS always carries data; other codes may (PASSIVEPAY answers PROCESSING and FAIL
 * with the order's data) or may not (rejections such as PARAM_INVALID carry none).
 */
export type GatewayResult<T extends DataObject = DataObject> =
  | { rsp_code: 'SUCCESS', rsp_msg: string, data: T }
  | { rsp_code: Exclude<RspCode, 'SUCCESS'>, rsp_msg: string, data: T | undefined }

/** The inner data of a payment callback (contract §3); `sale_num` and `prepay_order_id` when the order has them. */
export interface CallbackData {
  finish_time: string
  order_id: string
  /** The order's status after the event (apidocs' callback): `success`, `authorised` (a pre-authorisation) or `fail`. */
  order_status: string
  amount: string
  tip: string
  bizpay_order_id: string
  merchant_id: string
  sale_num?: string
  prepay_order_id?: string
}

/** A whole callback, opened: `rsp_code` is SUCCESS for a payment and FAIL for a decline. */
export interface OpenedCallback<T extends DataObject = CallbackData & DataObject> {
  rsp_code: string
  rsp_msg: string
  merchant_id: string
  data: T
}
