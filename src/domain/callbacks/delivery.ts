import { Type, type Static } from '@sinclair/typebox'

/** One HTTP attempt to deliver a callback, as the delivery log shows it. */
export const AttemptSchema = Type.Object({
  n: Type.Integer(),
  at: Type.String({ description: 'ISO time the attempt started (sandbox clock)' }),
  url: Type.String(),
  status: Type.Union([Type.Integer(), Type.Null()], { description: 'HTTP status of the merchant\'s answer, when there was one' }),
  error: Type.Union([Type.String(), Type.Null()], { description: 'why the attempt failed without an answer: timeout, connection refused, reset…' }),
  latency_ms: Type.Number(),
  reply: Type.Union([Type.String(), Type.Null()], { description: 'the first bytes of the merchant\'s answer' }),
  delivered: Type.Boolean()
})
export type Attempt = Static<typeof AttemptSchema>

export const DELIVERY_STATUSES = ['pending', 'delivered', 'failed'] as const
export type DeliveryStatus = typeof DELIVERY_STATUSES[number]

/** A callback in the persisted outbox: what is sent, to where, and every attempt so far. */
export const DeliverySchema = Type.Object({
  id: Type.String(),
  merchant_id: Type.String(),
  order_id: Type.String(),
  kind: Type.Union([Type.Literal('payment'), Type.Literal('declined')], { description: 'what the notification says: the payment succeeded, or was declined' }),
  url: Type.String(),
  body: Type.Record(Type.String(), Type.String(), { description: 'the exact JSON body sent, sealed with the merchant\'s key' }),
  status: Type.Union(DELIVERY_STATUSES.map((status) => Type.Literal(status))),
  created_at: Type.String(),
  next_attempt_at: Type.Union([Type.Number(), Type.Null()], { description: 'when the next attempt is due (ms since the epoch), while pending' }),
  attempts: Type.Array(AttemptSchema),
  simulate_timeouts: Type.Integer({ description: 'magic outcome `05`: this many first attempts are treated as timed out whatever the merchant answers' }),
  duplicate_of: Type.Union([Type.String(), Type.Null()], { description: 'set on the second copy of a deliberately duplicated notification (magic outcome `04`)' })
}, { $id: 'CallbackDelivery', additionalProperties: true })
export type Delivery = Static<typeof DeliverySchema>
