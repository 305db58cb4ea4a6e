import type { FastifyReply } from 'fastify'
import type { SafeHtml } from './html.js'

/** Sends a page: the one place that names the HTML content type, and that only sends markup built by `html`. */
export function sendHtml (reply: FastifyReply, page: SafeHtml, status?: number): FastifyReply {
  if (status !== undefined) reply.code(status)
  return reply.type('text/html; charset=utf-8').send(page.toString())
}
