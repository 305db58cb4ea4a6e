import { Type } from '@sinclair/typebox'
import type { NewOrder } from '../../engine/orders/create-order.js'
import type { PayerPage } from '../../domain/orders/order.js'
import type { ActionContext } from '../action.js'
import { Cents, OrderId } from '../fields.js'

/**
 * The fields the three card channels of CC_PURCHASE / CC_PREAUTH 2.0 share (UnionPay SecurePay §9/§14, Elavon
 * Converge hosted §18, Global Payments Portico §19a), and what each channel's request becomes.
 */

/** The `channelType` values, one per card channel. */
export const CARD_CHANNELS = ['UPAYONLINE', 'ELAVONECOM', 'PORTICOECOM'] as const
export type CardChannel = typeof CARD_CHANNELS[number]

export const CardOrderIdField = OrderId('Order ID; generated when absent (also accepted as "order_id")')

export const TxnTimeField = Type.String({ pattern: '^[0-9]{14}$', errorMessage: 'must be a date and time as "yyyyMMddHHmmss"', description: 'Transaction time, yyyyMMddHHmmss' })

export const TxnAmtField = Cents('Transaction amount in cents, "100" for 1.00')

/** What one channel's request becomes: the order to draft (its hosted page among it). */
export type ChannelOrder = Omit<NewOrder, 'request'> & { payer_page: PayerPage }

/** One card channel: checks what its schema cannot, then says what order to make. */
export type ChannelHandler<T> = (ctx: ActionContext, data: T) => ChannelOrder
