import type { FastifyInstance } from 'fastify'
import { FAVICON_SVG } from '../views/favicon.js'

/** /favicon.svg (linked from every page) and /favicon.ico (what browsers ask for by themselves): the same SVG. */
export function registerFavicon (app: FastifyInstance): void {
  for (const url of ['/favicon.svg', '/favicon.ico']) {
    app.get(url, { schema: { summary: 'The sandbox\'s icon (SVG), for every page', tags: ['sandbox'] } }, async (_request, reply) =>
      reply.type('image/svg+xml').header('cache-control', 'public, max-age=86400').send(FAVICON_SVG))
  }
}
