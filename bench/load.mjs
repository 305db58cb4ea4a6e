import autocannon from 'autocannon'

/** Only a SUCCESS answer is a created order; anything else (ORDER_USED, DB_ERROR, …) must not count as speed. */
const isSuccess = (body) => body.includes('"rsp_code":"SUCCESS"')

/**
 * Drives `POST <url>/processV2` with autocannon, every request with the next body of `pool` (a new order each),
 * and returns the rate of SUCCESS answers and the latency percentiles (ms, over every answer).
 */
export async function runLoad ({ url, pool, connections, duration }) {
  const result = await autocannon({
    url: `${url}/processV2`,
    method: 'POST',
    connections,
    duration,
    headers: { 'content-type': 'application/json' },
    requests: [{
      setupRequest (request) {
        request.body = pool.next()
        return request
      }
    }],
    verifyBody: isSuccess
  })
  const answered = Object.values(result.statusCodeStats ?? {}).reduce((sum, s) => sum + Number(s.count), 0)
  const succeeded = answered - result.mismatches
  return {
    reqPerSec: succeeded / result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    answered,
    succeeded,
    failed: result.mismatches,
    errors: result.errors,
    timeouts: result.timeouts,
    seconds: result.duration
  }
}

/** Unmeasured load first, so that every server is measured with its code already optimised by V8. */
export async function warmUp ({ url, pool, connections, seconds }) {
  if (seconds > 0) await runLoad({ url, pool, connections, duration: seconds })
}
