import { seal } from '../crypto/index.js'
import { UsageError } from './errors.js'
import { parseOptions, required } from './parse.js'
import { readJsonObject, type Stdin } from './stdin.js'

const OPTIONS = ['key', 'action', 'merchant', 'version']

/** The documented version of a known action; the registry is loaded only when a request needs it. */
async function defaultVersion (action: string): Promise<string> {
  const { ACTIONS, findAction } = await import('../protocol/registry.js')
  const version = findAction(action)?.versions[0]
  if (version === undefined) {
    throw new UsageError(`unknown action ${action}: give --version, or use one of ${ACTIONS.map((a) => a.action).join(', ')}`)
  }
  return version
}

/** `seal`: the data object on stdin → `{data, md5}`, or the whole request envelope; one JSON line. */
export async function sealCommand (args: readonly string[], stdin: Stdin): Promise<string> {
  const values = parseOptions(args, OPTIONS)
  const key = required(values.key, 'key')
  let head: Record<string, string> = {}
  if (values.action !== undefined || values.merchant !== undefined || values.version !== undefined) {
    if (values.action === undefined) throw new UsageError('--merchant and --version build a whole request: give --action too')
    const action = required(values.action, 'action')
    const merchant = required(values.merchant, 'merchant')
    const version = values.version === undefined ? await defaultVersion(action) : required(values.version, 'version')
    head = { action, version, merchant_id: merchant }
  }
  // Options are checked before stdin is read, so a mistyped command fails at once instead of waiting for input.
  // Data the gateway would refuse as nested too deeply is refused here too, before crypto's JSON.stringify recurses into it.
  const data = await readJsonObject(stdin, 'the data to seal', true)
  return JSON.stringify({ ...head, ...seal(data, key) })
}
