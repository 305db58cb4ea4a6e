import type { TSchema } from '@sinclair/typebox'
import type { ActionDefinition } from './action.js'
import { ACTIONS } from './registry.js'

/** Where the OpenAPI document keeps the shared schemas (components named after their `$id`, see plugins/swagger.ts). */
export const COMPONENTS = '#/components/schemas/'

/** One action as the `x-ottpay-actions` extension of the processV2 operations lists it. */
export interface ActionDoc {
  action: string
  versions: string[]
  summary: string
  /** The fields of the encrypted `data` of the request. */
  data: { $ref: string }
  /** The fields of the answer's `data` (decrypted) on SUCCESS. */
  answer: { $ref: string }
}

function idOf (schema: TSchema, action: string, role: string): string {
  const id: unknown = schema.$id
  if (typeof id !== 'string' || id === '') throw new Error(`the ${role} schema of ${action} has no $id, so OpenAPI cannot name it`)
  return id
}

/** The data and answer schemas of the actions, each once: CC_PURCHASE and CC_PREAUTH share theirs. */
export function actionSchemas (actions: readonly ActionDefinition[] = ACTIONS): TSchema[] {
  const byId = new Map<string, TSchema>()
  for (const definition of actions) {
    for (const [role, schema] of [['data', definition.data.schema], ['answer', definition.answer.schema]] as const) {
      const id = idOf(schema, definition.action, role)
      const known = byId.get(id)
      if (known !== undefined && known !== schema) throw new Error(`two different schemas have the $id ${id}`)
      byId.set(id, schema)
    }
  }
  return [...byId.values()]
}

/** The `x-ottpay-actions` extension: each action with its versions and the components of its data and answer. */
export function actionDocs (actions: readonly ActionDefinition[] = ACTIONS): ActionDoc[] {
  return actions.map((definition) => ({
    action: definition.action,
    versions: [...definition.versions],
    summary: definition.summary,
    data: { $ref: COMPONENTS + idOf(definition.data.schema, definition.action, 'data') },
    answer: { $ref: COMPONENTS + idOf(definition.answer.schema, definition.action, 'answer') }
  }))
}

/** Table cells must not break the Markdown table. */
function cell (text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\s*\n\s*/g, ' ')
}

function link ($ref: string): string {
  return `[${$ref.slice(COMPONENTS.length)}](${$ref})`
}

/** The Markdown description of a gateway path: how the envelope works, then a table of the actions. */
export function gatewayDescription (path: string, actions: readonly ActionDefinition[] = ACTIONS): string {
  const rows = actionDocs(actions).map((doc) =>
    `| \`${doc.action}\` | ${doc.versions.join(', ')} | ${cell(doc.summary)} | ${link(doc.data.$ref)} | ${link(doc.answer.$ref)} |`)
  return [
    ...(path === '/processV2' ? [] : [`\`${path}\` is an alias of \`/processV2\`: some real clients post here. It answers exactly the same.`, '']),
    'Every action goes through this one path. The request envelope names the `action` and its `version`; its `data` is ' +
      'the Base64 of the AES-128-ECB encrypted JSON of the action\'s fields, keyed with the merchant\'s sign key, and `md5` ' +
      'the uppercase MD5 of those fields\' values sorted by name (Appendix A).',
    '',
    'The answer envelope always has `rsp_code` and `rsp_msg` (Appendix B). On `SUCCESS` it also has `data` and `md5`: ' +
      '`data` decrypts, with the same key, to the action\'s answer object.',
    '',
    '| Action | Versions | What it does | Fields of the encrypted `data` | Fields of the answer\'s `data` |',
    '|---|---|---|---|---|',
    ...rows,
    '',
    'The same list, machine-readable, is the `x-ottpay-actions` extension of this operation.'
  ].join('\n')
}

/** What the schema of a gateway route adds to its summary, tags and envelope schemas. */
export function gatewayOperationDocs (path: string, actions: readonly ActionDefinition[] = ACTIONS): { description: string, 'x-ottpay-actions': ActionDoc[] } {
  return { description: gatewayDescription(path, actions), 'x-ottpay-actions': actionDocs(actions) }
}
