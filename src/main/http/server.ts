// `pregon serve`'s HTTP server (fastify): auth per API key, rate limit, the seed's routes, the typed
// contract, SSE, Meta's webhook, the relay feed, campaign reports and the browser UI.

import { existsSync } from 'node:fs'
import path from 'node:path'
import Fastify, { type FastifyError, type FastifyInstance } from 'fastify'
import fastifyStatic from '@fastify/static'
import rateLimit from '@fastify/rate-limit'
import type { App } from '../app'
import { createKeyResolver, isAdminKey, requestKey } from './auth'
import { createSseHub } from './events'
import { answerClientError, answerFrameworkError, MAX_PARAM_LENGTH } from './frameworkErrors'
import { errorBody } from './replies'
import { registerReportRoutes } from './reportRoutes'
import { registerSeedRoutes } from './seedRoutes'
import { InboxSignal, registerRelayRoutes, registerWebhookRoutes } from './webhookRoutes'

declare module 'fastify' {
  interface FastifyRequest {
    /** The tenant of an authenticated `/api` request. */
    userId: string
    /** The request carried the admin key: the installation's operator (as the CLI's local user). */
    operator: boolean
  }
}

export interface RateLimitOptions {
  enabled: boolean
  /** RATE_LIMIT_WINDOW_MS, default 900000 (15 min). */
  windowMs: number
  /** RATE_LIMIT_MAX, default 1000 requests per window and key. */
  max: number
}

export interface HttpServerOptions {
  host: string
  /** 0 picks a free port. */
  port: number
  /** Serve `GET /api/relay/events` (pregon serve --relay). */
  relay?: boolean
  /** The renderer build (out/renderer) served as the browser UI; ignored when missing. */
  webRoot?: string
  rateLimit?: RateLimitOptions
  /** The operator's key (PREGON_ADMIN_KEY): installation settings over HTTP; null or missing: none. */
  adminKey?: string | null
  /** Largest API request body; default 64 MiB (contacts.import carries files as base64). */
  bodyLimitBytes?: number
  /** Called after a signed webhook was stored: the processor picks it up. */
  onWebhookStored?: (seq: number) => void
  /** SSE keep-alive comment interval; default 15 s. */
  keepAliveMs?: number
}

export interface HttpServer {
  /** e.g. http://127.0.0.1:8787 */
  url: string
  port: number
  fastify: FastifyInstance
  /** Stops accepting, ends SSE streams and long polls, waits for in-flight requests. Not the app. */
  close(): Promise<void>
}

/** The seed's variables: ENABLE_RATE_LIMIT=1, RATE_LIMIT_WINDOW_MS (900000), RATE_LIMIT_MAX (1000). */
export function rateLimitFromEnv(env: NodeJS.ProcessEnv = process.env): RateLimitOptions {
  const positive = (name: string, fallback: number): number => {
    const raw = env[name]
    if (raw === undefined || raw === '') return fallback
    const value = Number(raw)
    if (!Number.isInteger(value) || value <= 0) throw new Error(`${name}="${raw}" must be a positive whole number.`)
    return value
  }
  const enabled = ['1', 'true', 'yes', 'on'].includes(String(env.ENABLE_RATE_LIMIT ?? '').toLowerCase())
  return { enabled, windowMs: positive('RATE_LIMIT_WINDOW_MS', 900_000), max: positive('RATE_LIMIT_MAX', 1_000) }
}

const WEBHOOK_BODY_LIMIT = 16 * 1024 * 1024

export async function createHttpServer(app: App, opts: HttpServerOptions): Promise<HttpServer> {
  const bodyLimit = opts.bodyLimitBytes ?? 64 * 1024 * 1024
  const server = Fastify({
    logger: false,
    bodyLimit,
    forceCloseConnections: 'idle',
    // fastify's own 503 while closing has its own body shape: the hook below answers instead.
    return503OnClosing: false,
    routerOptions: { maxParamLength: MAX_PARAM_LENGTH },
    frameworkErrors: answerFrameworkError,
    clientErrorHandler: answerClientError,
    // Node would answer a missing Host header with an empty 400 of its own; nothing here routes by host.
    http: { requireHostHeader: false },
  })
  const resolveKey = createKeyResolver(app.store.users)
  const sse = createSseHub(app.events, opts.keepAliveMs)
  const inboxSignal = new InboxSignal()
  let closing = false

  // Every body stays raw bytes: the webhook signature is over them; API routes parse JSON themselves.
  server.removeAllContentTypeParsers()
  server.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body))
  server.decorateRequest('userId', '')
  server.decorateRequest('operator', false)

  server.setErrorHandler((error: FastifyError & { ok?: boolean }, req, reply) => {
    if (error.ok === false && error.statusCode === 429) {
      // @fastify/rate-limit throws what errorResponseBuilder built (Retry-After is already set).
      const { statusCode: _status, ...body } = error as unknown as Record<string, unknown>
      return reply.code(429).send(body)
    }
    if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      const limit = req.url.startsWith('/webhook') ? WEBHOOK_BODY_LIMIT : bodyLimit
      return reply.code(413).send(errorBody('invalid_args', `The request body is larger than ${limit} bytes; send less at once.`))
    }
    const status = error.statusCode ?? 500
    if (status >= 400 && status < 500) return reply.code(status).send(errorBody('invalid_args', error.message))
    app.log.error({ err: error, url: req.url }, 'http request failed')
    return reply.code(500).send(errorBody('internal', 'Something went wrong inside Pregón; the log file has the details.'))
  })

  if (opts.rateLimit?.enabled) {
    const { max, windowMs } = opts.rateLimit
    await server.register(rateLimit, {
      global: true,
      max,
      timeWindow: windowMs,
      // Per API key (the tenant's quota), else per address; Meta's webhooks and the UI files are never limited.
      keyGenerator: (req) => requestKey(req, true) ?? req.ip,
      allowList: (req) => !req.url.startsWith('/api/'),
      errorResponseBuilder: (_req, context) => ({
        statusCode: 429,
        ...errorBody('rate_limited', `Too many requests: at most ${max} per ${Math.round(windowMs / 1000)} s. Retry in ${context.after}.`),
      }),
    })
  }

  server.addHook('onRequest', async (req, reply) => {
    if (closing && req.url !== '/healthz') {
      return reply.code(503).header('connection', 'close').send(errorBody('unavailable', 'Pregón is shutting down; try again in a moment.'))
    }
    if (!req.url.startsWith('/api/')) return
    // EventSource cannot send headers, so the stream alone also takes `?key=`.
    const key = requestKey(req, req.method === 'GET' && req.url.split('?')[0] === '/api/events')
    if (key && isAdminKey(key, opts.adminKey)) {
      req.userId = (await app.store.users.ensureLocal()).id
      req.operator = true
      return
    }
    const user = key ? await resolveKey(key) : null
    if (!user) {
      const message = key
        ? 'This API key is not valid. Create one with `pregon users add NAME`.'
        : 'Send your API key as `Authorization: Bearer <key>` (create one with `pregon users add NAME`).'
      return reply.code(401).header('www-authenticate', 'Bearer').send(errorBody('unauthorized', message))
    }
    req.userId = user.id
  })

  server.get('/healthz', async () => ({ ok: true, closing }))
  server.get('/api/events', (req, reply) => sse.handle(req, reply, req.userId))
  registerRelayRoutes(server, app, inboxSignal, opts.relay ?? false)
  registerReportRoutes(server, app)
  registerSeedRoutes(server, app)
  registerWebhookRoutes(server, app, inboxSignal, opts.onWebhookStored ?? (() => undefined), WEBHOOK_BODY_LIMIT)
  await registerWebUi(server, opts.webRoot)

  await server.listen({ host: opts.host, port: opts.port })
  const address = server.server.address()
  const port = typeof address === 'object' && address ? address.port : opts.port
  const host = opts.host.includes(':') ? `[${opts.host}]` : opts.host
  return {
    url: `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}`,
    port,
    fastify: server,
    async close() {
      if (closing) return
      closing = true
      sse.closeAll()
      inboxSignal.notify()
      await server.close()
    },
  }
}

/** The renderer build as a single-page app: unknown non-API paths get index.html. */
async function registerWebUi(server: FastifyInstance, webRoot: string | undefined): Promise<void> {
  const root = webRoot ? path.resolve(webRoot) : null
  const hasUi = root !== null && existsSync(path.join(root, 'index.html'))
  if (hasUi) await server.register(fastifyStatic, { root, wildcard: false })
  server.setNotFoundHandler((req, reply) => {
    if (req.url.startsWith('/api/') || req.method !== 'GET') {
      return reply.code(404).send(errorBody('not_found', `No route ${req.method} ${req.url.split('?')[0]}.`))
    }
    if (hasUi) return reply.sendFile('index.html')
    return reply
      .code(404)
      .type('text/plain')
      .send('Pregón is running; the browser UI is not built here (npm run build). The API is under /api.')
  })
}
