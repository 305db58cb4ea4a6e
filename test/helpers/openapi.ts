import type { FastifyInstance } from 'fastify'
import type { ActionDoc } from '../../src/protocol/openapi.js'

export interface Operation {
  summary?: string
  description?: string
  tags?: string[]
  parameters?: Array<{ name: string, in: string, description?: string }>
  'x-ottpay-actions'?: ActionDoc[]
  responses?: Record<string, { description?: string, content?: Record<string, { schema?: SchemaObject & { $ref?: string } }> }>
}

export interface SchemaObject {
  type?: string
  description?: string
  properties?: Record<string, SchemaObject>
  anyOf?: SchemaObject[]
}

export interface OpenApiDocument {
  openapi: string
  info: { title: string, version: string }
  paths: Record<string, Record<string, Operation>>
  components: { schemas: Record<string, SchemaObject> }
}

/** The app's OpenAPI document, as a client reads it from /docs/json. */
export async function openapiOf (app: FastifyInstance): Promise<OpenApiDocument> {
  const res = await app.inject('/docs/json')
  if (res.statusCode !== 200) throw new Error(`/docs/json answered ${res.statusCode}`)
  return res.json()
}

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'

/** Every operation of the document: its method and its OpenAPI path (`/sandbox/api/orders/{order_id}`). */
export function operationsOf (doc: OpenApiDocument): Array<{ method: Method, path: string, operation: Operation }> {
  return Object.entries(doc.paths).flatMap(([path, operations]) =>
    Object.entries(operations).map(([method, operation]) => ({ method: method.toUpperCase() as Method, path, operation })))
}
