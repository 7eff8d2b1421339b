// Meta's webhook endpoint (handshake; signed POSTs stored before they are answered) and the relay's feed of them.

import type { FastifyInstance } from 'fastify'
import { z } from 'zod'
import type { App } from '../app'
import { webhookSecrets } from '../app/handlers/installation'
import { describeZodError } from '../../shared/schemas'
import { verifyHandshake, verifySignature } from '../whatsapp/webhook'
import { errorBody } from './replies'

/** Wakes long-polling relay readers when a webhook is stored. */
export class InboxSignal {
  private readonly waiters = new Set<() => void>()

  notify(): void {
    for (const wake of [...this.waiters]) wake()
  }

  /** Resolves on the next `notify`, after `ms`, or on `notify` from shutdown. */
  wait(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = (): void => {
        clearTimeout(timer)
        this.waiters.delete(wake)
        resolve()
      }
      const timer = setTimeout(wake, ms)
      this.waiters.add(wake)
    })
  }
}

export function registerWebhookRoutes(
  server: FastifyInstance,
  app: App,
  signal: InboxSignal,
  onStored: (seq: number) => void,
  bodyLimit: number,
): void {
  server.get('/webhook', async (req, reply) => {
    const { verifyToken } = await webhookSecrets(app)
    const challenge = verifyToken ? verifyHandshake(req.query as Record<string, unknown>, verifyToken) : null
    if (challenge === null) {
      app.log.warn({ configured: Boolean(verifyToken) }, 'webhook handshake refused: hub.verify_token does not match')
      return reply.code(403).type('text/plain').send('Forbidden: hub.verify_token does not match the verify token set in Pregón')
    }
    return reply.code(200).type('text/plain').send(challenge)
  })

  server.post('/webhook', { bodyLimit }, async (req, reply) => {
    const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0)
    const { appSecret } = await webhookSecrets(app)
    if (!appSecret) {
      app.log.warn('webhook refused: no app secret is configured (PREGON_APP_SECRET or settings)')
      return reply.code(401).send(errorBody('unauthorized', 'No app secret is configured here: set PREGON_APP_SECRET (Meta app → Settings → Basic → App secret).'))
    }
    const header = req.headers['x-hub-signature-256']
    if (!verifySignature(raw, typeof header === 'string' ? header : undefined, appSecret)) {
      app.log.warn({ signed: Boolean(header), bytes: raw.length }, 'webhook refused: X-Hub-Signature-256 missing or wrong')
      return reply.code(401).send(errorBody('unauthorized', 'X-Hub-Signature-256 is missing or does not match the body signed with the app secret.'))
    }
    // Durable before the 200: Meta stops retrying once answered, so an unstored delivery would be lost.
    const seq = await app.store.inbox.append(raw.toString('utf8'), Date.now())
    signal.notify()
    onStored(seq)
    return reply.code(200).type('text/plain').send('EVENT_RECEIVED')
  })
}

const relayQuerySchema = z
  .object({
    after: z.coerce.number().int().min(0).default(0),
    /** Long-poll: seconds to hold the request open when nothing is new. */
    wait: z.coerce.number().min(0).max(60).default(0),
    limit: z.coerce.number().int().min(1).max(1_000).default(500),
  })
  .strict()

/**
 * `GET /api/relay/events?after=<seq>&wait=<s>` → `{events:[{seq, body, receivedAt}], next}`.
 * A relay serves one Meta app (one app secret, one webhook URL), so every key on it reads every
 * delivery; a desktop applies what belongs to its own accounts and ignores the rest.
 */
export function registerRelayRoutes(server: FastifyInstance, app: App, signal: InboxSignal, enabled: boolean): void {
  server.get('/api/relay/events', async (req, reply) => {
    if (!enabled) {
      return reply.code(404).send(errorBody('not_found', 'This server is not a relay: start it with `pregon serve --relay`.'))
    }
    const { key: _key, ...rest } = req.query as Record<string, unknown>
    const parsed = relayQuerySchema.safeParse(rest)
    if (!parsed.success) {
      const { message, field } = describeZodError(parsed.error)
      return reply.code(400).send(errorBody('invalid_args', message, { field }))
    }
    const { after, wait, limit } = parsed.data
    let rows = await app.store.inbox.after(after, limit)
    if (rows.length === 0 && wait > 0) {
      await signal.wait(wait * 1000)
      rows = await app.store.inbox.after(after, limit)
    }
    return {
      events: rows.map((row) => ({ seq: row.seq, body: row.body, receivedAt: row.receivedAt })),
      next: rows.length > 0 ? rows[rows.length - 1].seq : after,
    }
  })
}
