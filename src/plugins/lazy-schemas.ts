import { createRequire } from 'node:module'
import type { FastifyInstance, FastifyServerOptions } from 'fastify'

/**
 * Route schemas compiled on the first request that needs them instead of at `ready` (issue 13: start fast).
 *
 * Fastify compiles an ajv validator per request part and a fast-json-stringify serializer per response code of
 * every route while it gets ready: for this app that was most of the start-up time, for routes a given run may
 * never see. Here the compilers are fastify's own defaults (@fastify/ajv-compiler and
 * @fastify/fast-json-stringify-compiler, loaded from fastify's own dependencies, with the same options), only
 * asked later: each route part gets a stand-in that compiles the real function on its first call and then
 * forwards to it. Validation answers, coercion, defaults and serialized output are the same; the routes keep
 * their schemas (the OpenAPI document reads them from the routes, not from the compiled functions). A broken
 * schema would fail its first request instead of the start; {@link compileRouteSchemas} compiles everything
 * at once so that a test can still catch one.
 *
 * One difference to know: with compilers given as a factory, fastify counts them as custom and no longer
 * lower-cases the property names of a `headers` schema before compiling it. No route has a headers schema; one
 * that gets one must spell its header names in lower case.
 */

type Compile = (routeSchema: unknown) => unknown
type Builder = (externalSchemas: unknown, options: unknown) => Compile

interface Pending {
  /** Stand-ins not called yet: their compile, to force them all (tests). Emptied as they compile. */
  thunks: Set<() => unknown>
}

const pendingByApp = new WeakMap<FastifyInstance, Pending>()

// Fastify's default compilers, resolved from fastify's own folder (they are its dependencies, not ours).
const fromFastify = () => createRequire(createRequire(import.meta.url).resolve('fastify'))

/** A validator that compiles on first use; fastify reads `errors` after a failed call and `schemaEnv` before one. */
function lazyValidator (compile: () => unknown, pending: Pending): unknown {
  let fn: ((...args: unknown[]) => unknown) & { errors?: unknown, schemaEnv?: unknown } | undefined
  const real = () => {
    if (fn === undefined) {
      pending.thunks.delete(real)
      fn = compile() as typeof fn & object
    }
    return fn
  }
  pending.thunks.add(real)
  const validate = (...args: unknown[]) => real()(...args)
  Object.defineProperty(validate, 'errors', { get: () => fn?.errors, set: (value) => { real().errors = value } })
  Object.defineProperty(validate, 'schemaEnv', { get: () => real().schemaEnv })
  return validate
}

/** A serializer that compiles on first use. */
function lazySerializer (compile: () => unknown, pending: Pending): unknown {
  let fn: ((...args: unknown[]) => unknown) | undefined
  const real = () => {
    if (fn === undefined) {
      pending.thunks.delete(real)
      fn = compile() as (...args: unknown[]) => unknown
    }
    return fn
  }
  pending.thunks.add(real)
  return (...args: unknown[]) => real()(...args)
}

/**
 * A builder like fastify's default one for the same external schemas and options, whose compiler hands out
 * stand-ins. The default builder itself (ajv, its formats, fast-json-stringify) is only loaded and run on the
 * first compile.
 */
function lazyBuilder (load: () => Builder, wrap: (compile: () => unknown, pending: Pending) => unknown, pending: Pending): Builder {
  let builder: Builder | undefined
  return (externalSchemas, options) => {
    let compiler: Compile | undefined
    return (routeSchema) => wrap(() => {
      compiler ??= (builder ??= load())(externalSchemas, options)
      return compiler(routeSchema)
    }, pending)
  }
}

/** Fastify's `schemaController` option with lazy compilers; `attach` the app built with it (see {@link compileRouteSchemas}). */
export function lazySchemaController (): { schemaController: NonNullable<FastifyServerOptions['schemaController']>, attach: (app: FastifyInstance) => void } {
  const pending: Pending = { thunks: new Set() }
  const buildValidator = lazyBuilder(() => (fromFastify()('@fastify/ajv-compiler') as () => Builder)(), lazyValidator, pending)
  const buildSerializer = lazyBuilder(() => (fromFastify()('@fastify/fast-json-stringify-compiler') as () => Builder)(), lazySerializer, pending)
  return {
    schemaController: { compilersFactory: { buildValidator, buildSerializer } } as NonNullable<FastifyServerOptions['schemaController']>,
    attach: (app) => { pendingByApp.set(app, pending) }
  }
}

/**
 * Compiles every route schema of a ready app not compiled yet, as fastify would have at `ready`; throws what the
 * compiler throws for a broken one. Returns how many it compiled.
 */
export function compileRouteSchemas (app: FastifyInstance): number {
  const pending = pendingByApp.get(app)
  if (pending === undefined) throw new Error('this app was not built with lazySchemaController()')
  const thunks = [...pending.thunks]
  for (const thunk of thunks) thunk()
  return thunks.length
}
