import t from 'tap'
import type { RequestLogEntry } from '../../src/inspector/log-entry.js'
import { activePayData, build, callGateway, cardData, envelope } from '../helpers/build.js'

// Issue 15: a rejected card number was echoed in full on the wire (`rsp_msg … got "4111-1111-1111-1111"`).

t.test('CC_PURCHASE with a dashed card number: the rejection quotes it masked, on the wire and in the log', async (t) => {
  const { app } = await build(t)
  const answer = await callGateway(app, envelope('CC_PURCHASE', '2.0', cardData({ cc_number: '4111-1111-1111-1111' })))
  t.equal(answer.body.rsp_code, 'PARAM_INVALID')
  t.notMatch(answer.body.rsp_msg, '4111-1111-1111-1111', 'not as sent')
  t.notMatch(answer.body.rsp_msg, '4111111111111111', 'nor as digits')
  t.match(answer.body.rsp_msg, 'cc_number')
  t.match(answer.body.rsp_msg, '"************1111"', 'masked as everywhere else: the last four digits')
  const [entry] = ((await app.inject('/sandbox/api/requests?limit=1')).json() as { requests: RequestLogEntry[] }).requests
  t.equal(entry?.rsp_msg, answer.body.rsp_msg, 'the log keeps what was sent')
})

t.test('a card number sent in another field is masked too, with or without spaces', async (t) => {
  const { app } = await build(t)
  const spaced = await callGateway(app, envelope('ACTIVEPAY', '1.0', activePayData({ order_id: '4111 1111 1111 1111' })))
  t.equal(spaced.body.rsp_code, 'PARAM_INVALID')
  t.match(spaced.body.rsp_msg, /^invalid parameter: order_id .*got "\*{12}1111"$/)
  const query = await callGateway(app, envelope('STATUS_QUERY', '1.0', { order_id: '5555555555554444' }))
  t.equal(query.body.rsp_code, 'PARAM_INVALID')
  t.equal(query.body.rsp_msg, 'invalid parameter: order_id ************4444 is not an order of merchant QC00000001')
})
