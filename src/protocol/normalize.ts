import type { DataObject } from '../crypto/index.js'
import { GatewayError } from '../domain/errors.js'

/**
 * Brings decrypted data to the canonical field names and spellings before validation:
 * variant names (`Tip` → `tip`), trimmed enum values, and numbers sent where strings are documented.
 * Returns a new object; `warnings` collects what a careful client should do differently.
 */
export function normalizeData (
  data: DataObject,
  aliases: Readonly<Record<string, string>>,
  trim: readonly string[],
  warnings: string[]
): DataObject {
  const out: DataObject = { ...data }
  for (const [variant, canonical] of Object.entries(aliases)) {
    if (!(variant in out)) continue
    if (canonical in out && out[canonical] !== out[variant]) {
      throw new GatewayError('PARAM_INVALID', `${variant} and ${canonical} are the same field and disagree; send one`)
    }
    out[canonical] = out[variant]
    delete out[variant]
  }
  for (const key of Object.keys(out)) {
    const value = out[key]
    if (typeof value === 'number' && Number.isFinite(value)) {
      out[key] = String(value)
      warnings.push(`${key} was sent as a number; send it as a string ("${String(value)}")`)
    }
  }
  for (const key of trim) {
    const value = out[key]
    if (typeof value === 'string') out[key] = value.trim()
  }
  return out
}
