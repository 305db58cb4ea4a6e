import { CryptoError, diagnose, openDetailed, type Sealed } from '../crypto/index.js'
import { InputError } from './errors.js'
import { parseOptions, required } from './parse.js'
import { readJsonObject, type Stdin } from './stdin.js'

const OPTIONS = ['key']

function sealedPart (body: Record<string, unknown>): Sealed {
  if (typeof body.data === 'string' && typeof body.md5 === 'string') return { data: body.data, md5: body.md5 }
  if (typeof body.rsp_code === 'string') {
    const msg = typeof body.rsp_msg === 'string' ? body.rsp_msg : '(no rsp_msg)'
    throw new InputError(`the answer carries no data to open: rsp_code ${body.rsp_code}, rsp_msg ${msg}`)
  }
  throw new InputError('stdin must have the string fields data and md5 (a sealed pair, a request, an answer or a callback)')
}

/** The reason an envelope does not open, with what was learnt on the way and the likely mistakes. */
function explain (err: CryptoError, sealed: Sealed, key: string): string {
  const lines = [`cannot open (${err.code}): ${err.message}`]
  // The message names the depth, the limit and where; the decrypted text would be thousands of brackets.
  if (err.code === 'JSON_TOO_DEEP') return lines[0]!
  const { plaintext, canonical, expectedMd5 } = err.details
  if (plaintext !== undefined) lines.push(`  decrypted text: ${plaintext}`)
  if (canonical !== undefined) lines.push(`  canonical string: ${canonical}`)
  if (expectedMd5 !== undefined) lines.push(`  md5 of that: ${expectedMd5}, received: ${sealed.md5}`)
  for (const hint of diagnose(sealed, key)) lines.push(`  hint: ${hint.message}`)
  return lines.join('\n')
}

/** `open`: `{data, md5}` (or a whole envelope) on stdin → its data object, verified; one JSON line. */
export async function openCommand (args: readonly string[], stdin: Stdin): Promise<string> {
  const values = parseOptions(args, OPTIONS)
  const key = required(values.key, 'key')
  const sealed = sealedPart(await readJsonObject(stdin, 'the sealed data'))
  try {
    return JSON.stringify(openDetailed(sealed, key).data)
  } catch (err) {
    if (err instanceof CryptoError) throw new InputError(explain(err, sealed, key))
    throw err
  }
}
