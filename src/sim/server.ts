// The simulator's node:http server that answers like graph.facebook.com for sends, number and template reads.

import { randomBytes } from 'node:crypto'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { assertNever } from '../shared/assertNever'
import { tierLimit, type QualityRating } from '../shared/types'
import { DEFAULT_ACCESS_TOKEN, DEFAULT_PHONE_NUMBERS, DEFAULT_TEMPLATES } from './defaults'
import { GraphError, badParam, errorEnvelope, injectedError, invalidToken, isAsyncCode, missingManagementPermission, throttleHeaders, throttled, unknownObject } from './errors'
import { PairLimiter, TokenBucket } from './limits'
import { createRandom, randomToken, sampleMs } from './random'
import type {
  Fault,
  FailureDelivery,
  InboundMessage,
  InjectedFailure,
  Latency,
  QualityEvent,
  SentMessage,
  SimPhoneNumber,
  SimTemplate,
  Simulator,
  SimulatorOptions,
  TemplateStatus,
  WebhookOptions,
} from './types'
import { templateKey, validateSend } from './validate'
import { WebhookDispatcher, envelope, unixSeconds } from './webhooks'

/** The events of `message_template_status_update` (§6.7). */
export type TemplateEvent =
  | 'APPROVED'
  | 'REJECTED'
  | 'PENDING'
  | 'PAUSED'
  | 'DISABLED'
  | 'FLAGGED'
  | 'REINSTATED'
  | 'IN_APPEAL'
  | 'LIMIT_EXCEEDED'
  | 'LOCKED'
  | 'ARCHIVED'
  | 'UNARCHIVED'
  | 'DELETED'
  | 'PENDING_DELETION'

interface Reply {
  status: number
  body: object
}

/** The failure a send drew: how it reaches the client, and when (for webhook delivery). */
interface DrawnFailure {
  code: number
  delivery: FailureDelivery
  delayMs?: Latency
}

interface PhoneState {
  phone: SimPhoneNumber
  bucket: TokenBucket
}

const VERSION_SEGMENT = /^v(\d+)\.\d+$/
const DEFAULT_API_VERSION = 'v25.0'
const DEFAULT_PAGE_SIZE = 25
const MAX_PAGE_SIZE = 1000
const PHONE_DEFAULT_FIELDS = ['id', 'display_phone_number', 'verified_name', 'quality_rating']
const TEMPLATE_FIELDS = ['name', 'parameter_format', 'components', 'language', 'status', 'category', 'id']

export async function startSimulator(opts: SimulatorOptions = {}): Promise<Simulator> {
  const random = createRandom(opts.seed)
  const messagingOnly = new Set(opts.messagingOnlyTokens ?? [])
  const tokens = new Set([...(opts.accessTokens ?? [DEFAULT_ACCESS_TOKEN]), ...messagingOnly])
  const phoneList = (opts.phoneNumbers ?? DEFAULT_PHONE_NUMBERS).map((p) => ({ ...p }))
  if (phoneList.length === 0) throw new Error('phoneNumbers must list at least one number')
  const phones = new Map<string, PhoneState>()
  for (const phone of phoneList) {
    if ((phone.mps ?? 80) <= 0) throw new Error(`phone number ${phone.id}: mps must be positive`)
    phones.set(phone.id, { phone, bucket: new TokenBucket(phone.mps ?? 80, phone.mps ?? 80, Date.now()) })
  }
  const wabaIds = new Set(phoneList.map((p) => p.wabaId))
  const templateList: SimTemplate[] = (opts.templates ?? DEFAULT_TEMPLATES).map((t, i) => ({
    ...t,
    id: t.id ?? String(900_000_000_000_001 + i),
  }))
  const templates = new Map(templateList.map((t) => [templateKey(t.name, t.language), t]))
  const templatesById = new Map(templateList.map((t) => [t.id as string, t]))
  const pairs = new PairLimiter()
  const portfolioRecipients = new Map<string, Set<string>>()

  let fault: Fault = opts.fault ?? 'none'
  let failures: InjectedFailure[] = checkFailures(opts.failures ?? [], opts.webhook)
  let failRecipients: Record<string, number> = opts.failRecipients ?? {}
  let latency: Latency = opts.latencyMs ?? 0
  const enforceThroughput = opts.enforceThroughput ?? true
  const enforcePairLimit = opts.pairLimit ?? true

  let totalRequests = 0
  /** Requests received and not yet answered (or abandoned), and the most there ever were at once. */
  let openRequests = 0
  let peakOpenRequests = 0
  let requestsByRecipient = new Map<string, number>()
  let acceptedByRecipient = new Map<string, number>()
  let sentMessages = new Map<string, SentMessage>()
  // A per-instance nonce keeps wamids unique across simulators that share a seed.
  const wamidNonce = randomBytes(6).toString('hex').toUpperCase()
  let wamidCounter = 0

  const phoneMetadata = (phoneNumberId: string) => {
    const phone = phones.get(phoneNumberId)?.phone ?? phoneList[0]
    return { wabaId: phone.wabaId, displayDigits: phone.displayPhoneNumber.replace(/\D/g, '') }
  }
  const webhooks = opts.webhook ? new WebhookDispatcher(opts.webhook, phoneMetadata, random, opts.sparseErrors) : null

  let origin = ''

  const newWamid = (digits: string): string => {
    wamidCounter++
    const unique = `HBgL${digits}FQIAERgS${wamidNonce}${wamidCounter.toString(16).toUpperCase().padStart(10, '0')}`
    return `wamid.${Buffer.from(unique).toString('base64')}`
  }

  const increment = (map: Map<string, number>, key: string): void => {
    map.set(key, (map.get(key) ?? 0) + 1)
  }

  const rollFailure = (recipientKey: string): DrawnFailure | null => {
    const forced = failRecipients[recipientKey]
    if (forced !== undefined) return { code: forced, delivery: isAsyncCode(forced) ? 'webhook' : 'sync' }
    for (const failure of failures) {
      if (random() < failure.rate) return { code: failure.code, delivery: deliveryOf(failure), delayMs: failure.delayMs }
    }
    return null
  }

  const checkMessagingLimit = (phone: SimPhoneNumber, recipientKey: string): void => {
    if (!opts.messagingLimit) return
    let recipients = portfolioRecipients.get(phone.wabaId)
    if (!recipients) {
      recipients = new Set()
      portfolioRecipients.set(phone.wabaId, recipients)
    }
    if (recipients.has(recipientKey)) return
    const limit = tierLimit(phone.tier ?? 'TIER_UNLIMITED')
    if (recipients.size >= limit) {
      throw new GraphError(
        opts.messagingLimit.code,
        `Messaging limit ${phone.tier} reached: ${limit} unique recipients in a moving 24 hours for this portfolio.`,
      )
    }
    recipients.add(recipientKey)
  }

  const send = (phoneNumberId: string, rawBody: string, apiMajor: number): Reply => {
    const state = phones.get(phoneNumberId)
    if (!state) throw unknownObject(phoneNumberId, 'POST')
    let body: unknown
    try {
      body = JSON.parse(rawBody)
    } catch (error) {
      throw badParam(`The request body is not valid JSON (${(error as Error).message}). Send a JSON object with Content-Type: application/json.`)
    }
    const valid = validateSend(body, templates)
    increment(requestsByRecipient, valid.recipientKey)

    const now = Date.now()
    if (enforceThroughput && !state.bucket.take(now)) {
      throw throttled(130429, state.phone.wabaId, opts.throttle?.retryAfterSeconds ?? state.bucket.msUntilToken(now) / 1000)
    }
    if (enforcePairLimit && !pairs.take(phoneNumberId, valid.recipientKey, now)) throw new GraphError(131056)
    checkMessagingLimit(state.phone, valid.recipientKey)
    const failure = rollFailure(valid.recipientKey)
    if (failure?.delivery === 'sync') throw injectedError(failure.code, state.phone.wabaId, opts.throttle?.retryAfterSeconds ?? 1)

    const wamid = newWamid(valid.waId ?? '')
    increment(acceptedByRecipient, valid.recipientKey)
    sentMessages.set(wamid, {
      to: valid.input,
      waId: valid.recipientKey,
      phoneNumberId,
      template: { name: valid.template.name, language: valid.template.language },
      callbackData: valid.callbackData,
      webhookFailure: failure?.code ?? null,
    })
    webhooks?.scheduleLadder(
      {
        phoneNumberId,
        wamid,
        recipientId: valid.waId,
        callbackData: valid.callbackData,
        category: valid.template.category.toLowerCase(),
        apiMajor,
      },
      failure && { code: failure.code, delayMs: failure.delayMs === undefined ? undefined : sampleMs(failure.delayMs, random) },
    )
    const contact = valid.waId !== null ? { input: valid.input, wa_id: valid.waId } : { input: valid.input, user_id: valid.input }
    return {
      status: 200,
      body: { messaging_product: 'whatsapp', contacts: [contact], messages: [{ id: wamid, message_status: 'accepted' }] },
    }
  }

  const phoneFields = (phone: SimPhoneNumber, fields: string[]): object => {
    const out: Record<string, unknown> = {}
    for (const field of fields) {
      switch (field) {
        case 'id':
          break
        case 'display_phone_number':
          out[field] = phone.displayPhoneNumber
          break
        case 'verified_name':
          out[field] = phone.verifiedName
          break
        case 'quality_rating':
          out[field] = phone.qualityRating ?? 'GREEN'
          break
        case 'throughput':
          out[field] = { level: phone.throughputLevel ?? ((phone.mps ?? 80) > 80 ? 'HIGH' : 'STANDARD') }
          break
        case 'whatsapp_business_manager_messaging_limit':
        case 'messaging_limit_tier':
          if (phone.tierFields?.includes(field) ?? true) out[field] = phone.tier ?? 'TIER_UNLIMITED'
          break
        case 'status':
          out[field] = 'CONNECTED'
          break
        case 'account_mode':
          out[field] = 'LIVE'
          break
        case 'name_status':
          out[field] = 'APPROVED'
          break
        case 'code_verification_status':
          out[field] = 'VERIFIED'
          break
        case 'platform_type':
          out[field] = 'CLOUD_API'
          break
        case 'is_official_business_account':
          out[field] = false
          break
        case 'webhook_configuration':
          out[field] = opts.webhook ? { application: opts.webhook.url } : {}
          break
        default:
          throw nonexistingField(field, 'WhatsAppBusinessPhoneNumber')
      }
    }
    out.id = phone.id
    return out
  }

  const templateFields = (template: SimTemplate, fields: string[]): object => {
    const all: Record<string, unknown> = {
      name: template.name,
      parameter_format: template.parameterFormat,
      components: template.components,
      language: template.language,
      status: template.status,
      category: template.category,
      sub_category: 'CUSTOM',
      id: template.id,
    }
    const out: Record<string, unknown> = {}
    for (const field of fields) {
      if (!(field in all)) throw nonexistingField(field, 'WhatsAppBusinessHSM')
      out[field] = all[field]
    }
    out.id = template.id
    return out
  }

  const listTemplates = (pathname: string, query: URLSearchParams): Reply => {
    const fields = parseFields(query, TEMPLATE_FIELDS)
    const limit = parseLimit(query.get('limit'))
    const statuses = splitList(query.get('status')).map((s) => s.toUpperCase())
    const name = query.get('name')?.toLowerCase()
    const language = query.get('language')
    const categories = splitList(query.get('category')).map((c) => c.toUpperCase())
    const matching = templateList.filter(
      (t) =>
        (statuses.length === 0 || statuses.includes(t.status)) &&
        (!name || t.name.toLowerCase().includes(name)) &&
        (!language || t.language === language) &&
        (categories.length === 0 || categories.includes(t.category)),
    )
    const start = query.has('after') ? decodeCursor(query.get('after') as string) : 0
    const page = matching.slice(start, start + limit)
    const end = start + page.length
    const reply: Record<string, unknown> = { data: page.map((t) => templateFields(t, fields)) }
    if (page.length > 0) {
      const paging: Record<string, unknown> = { cursors: { before: encodeCursor(start), after: encodeCursor(end) } }
      if (end < matching.length) {
        const next = new URLSearchParams(query)
        next.set('limit', String(limit))
        next.set('after', encodeCursor(end))
        paging.next = `${origin}${pathname}?${next.toString()}`
      }
      reply.paging = paging
    }
    return { status: 200, body: reply }
  }

  const get = (segments: string[], pathname: string, query: URLSearchParams): Reply => {
    const [id, edge] = segments
    if (segments.length === 1) {
      const phone = phones.get(id)
      if (phone) return { status: 200, body: phoneFields(phone.phone, parseFields(query, PHONE_DEFAULT_FIELDS)) }
      const template = templatesById.get(id)
      if (template) return { status: 200, body: templateFields(template, parseFields(query, ['id', 'name', 'status'])) }
    }
    if (segments.length === 2 && wabaIds.has(id)) {
      if (edge === 'message_templates') return listTemplates(pathname, query)
      if (edge === 'phone_numbers') {
        const fields = parseFields(query, PHONE_DEFAULT_FIELDS)
        return { status: 200, body: { data: phoneList.filter((p) => p.wabaId === id).map((p) => phoneFields(p, fields)) } }
      }
    }
    throw unknownObject(id ?? '', 'GET')
  }

  const route = (req: http.IncomingMessage, rawBody: string): Reply => {
    const url = req.url ?? '/'
    const queryAt = url.indexOf('?')
    const pathname = queryAt === -1 ? url : url.slice(0, queryAt)
    const query = new URLSearchParams(queryAt === -1 ? '' : url.slice(queryAt + 1))
    const segments = pathname.split('/').filter(Boolean)
    const version = VERSION_SEGMENT.exec(segments[0] ?? '')
    if (version) segments.shift()
    const apiMajor = version ? Number(version[1]) : Number(DEFAULT_API_VERSION.slice(1, 3))

    const auth = req.headers.authorization
    const token = auth?.startsWith('Bearer ') ? auth.slice(7).trim() : query.get('access_token')
    if (!token || !tokens.has(token)) {
      throw invalidToken(Boolean(token))
    }
    if (req.method === 'POST' && segments.length === 2 && segments[1] === 'messages') return send(segments[0], rawBody, apiMajor)
    if (req.method === 'GET' && messagingOnly.has(token) && wabaIds.has(segments[0] ?? '')) throw missingManagementPermission()
    if (req.method === 'GET') return get(segments, pathname, query)
    throw unknownObject(segments[0] ?? '', req.method ?? 'GET')
  }

  const respond = (req: http.IncomingMessage, res: http.ServerResponse, rawBody: string): void => {
    const traceId = randomToken(random, 23)
    let reply: Reply
    let extraHeaders: Record<string, string> = {}
    try {
      reply = route(req, rawBody)
    } catch (error) {
      if (!(error instanceof GraphError)) throw error
      reply = { status: error.httpStatus, body: errorEnvelope(error, traceId, opts.sparseErrors) }
      if (error.throttle) extraHeaders = throttleHeaders(error.throttle, opts.throttle?.regainAccessMinutes ?? 0)
    }
    if (fault === 'lose-answer') {
      req.socket.destroy()
      return
    }
    const payload = JSON.stringify(reply.body)
    const write = (): void => {
      if (res.destroyed) return
      res.writeHead(reply.status, {
        'content-type': 'application/json; charset=UTF-8',
        'content-length': Buffer.byteLength(payload),
        'x-fb-trace-id': traceId,
        'x-fb-request-id': randomToken(random, 23),
        'facebook-api-version': DEFAULT_API_VERSION,
        ...extraHeaders,
      })
      res.end(payload)
    }
    const wait = sampleMs(latency, random)
    if (wait > 0) setTimeout(write, wait)
    else write()
  }

  const server = http.createServer((req, res) => {
    totalRequests++
    peakOpenRequests = Math.max(peakOpenRequests, ++openRequests)
    res.once('close', () => openRequests--)
    if (fault === 'hang') {
      // Accept and never answer: the client's own timeout must fire.
      req.resume()
      return
    }
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => {
      if (fault === 'reset') {
        req.socket.destroy()
        return
      }
      respond(req, res, chunks.length === 1 ? chunks[0].toString('utf8') : Buffer.concat(chunks).toString('utf8'))
    })
  })
  server.keepAliveTimeout = 30_000

  const host = opts.host ?? '127.0.0.1'
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(opts.port ?? 0, host, () => {
      server.off('error', reject)
      resolve()
    })
  })
  const port = (server.address() as AddressInfo).port
  origin = `http://${host.includes(':') ? `[${host}]` : host}:${port}`

  const requireWebhooks = (what: string): WebhookDispatcher => {
    if (!webhooks) throw new Error(`${what} needs the webhook option ({ url, appSecret, statuses }) when starting the simulator`)
    return webhooks
  }

  let stopping: Promise<void> | null = null

  return {
    url: origin,
    port,
    accessTokens: [...tokens],
    phoneNumbers: phoneList,
    get totalRequests() {
      return totalRequests
    },
    get peakConcurrentRequests() {
      return peakOpenRequests
    },
    get sentMessages() {
      return sentMessages
    },
    get droppedWebhooks() {
      return webhooks?.dropped ?? 0
    },
    stop() {
      stopping ??= new Promise<void>((resolve) => {
        webhooks?.stop()
        server.close(() => resolve())
        // Keep-alive and hung sockets too, so clients see a refused connection afterwards.
        server.closeAllConnections()
      })
      return stopping
    },
    setFault(next) {
      fault = next
    },
    setFailures(next) {
      failures = checkFailures(next, opts.webhook)
    },
    setFailRecipients(next) {
      failRecipients = next
    },
    setLatency(next) {
      latency = next
    },
    requestsByRecipient: () => new Map(requestsByRecipient),
    acceptedByRecipient: () => new Map(acceptedByRecipient),
    resetCounters() {
      totalRequests = 0
      peakOpenRequests = openRequests
      requestsByRecipient = new Map()
      acceptedByRecipient = new Map()
      sentMessages = new Map()
    },
    resetLimits() {
      const now = Date.now()
      for (const state of phones.values()) state.bucket = new TokenBucket(state.phone.mps ?? 80, state.phone.mps ?? 80, now)
      pairs.clear()
      portfolioRecipients.clear()
    },
    flushWebhooks: () => webhooks?.flush() ?? Promise.resolve(),
    async injectInbound(message: InboundMessage) {
      const dispatcher = requireWebhooks('injectInbound')
      const phone = message.phoneNumberId ? phones.get(message.phoneNumberId) : phones.get(phoneList[0].id)
      if (!phone) throw new Error(`injectInbound: unknown phoneNumberId ${message.phoneNumberId}`)
      const from = message.from.replace(/\D/g, '')
      if (!from) throw new Error('injectInbound: `from` must be the user phone digits, e.g. 573001234567')
      // Inbound traffic counts against the number's throughput, but Meta never refuses it.
      phone.bucket.force(Date.now())
      const meta = phoneMetadata(phone.phone.id)
      const wamid = newWamid(from)
      const content =
        message.buttonPayload !== undefined
          ? { type: 'button', button: { payload: message.buttonPayload, text: message.buttonText ?? message.buttonPayload } }
          : { type: 'text', text: { body: message.text ?? '' } }
      const delivered = await dispatcher.post(
        envelope(meta.wabaId, 'messages', {
          messaging_product: 'whatsapp',
          metadata: { display_phone_number: meta.displayDigits, phone_number_id: phone.phone.id },
          contacts: [{ profile: { name: message.profileName ?? 'Cliente simulado' }, wa_id: from }],
          messages: [
            {
              ...(message.contextWamid ? { context: { from: meta.displayDigits, id: message.contextWamid } } : {}),
              from,
              id: wamid,
              timestamp: unixSeconds(),
              ...content,
            },
          ],
        }),
      )
      if (!delivered) throw new Error(`injectInbound: the webhook at ${opts.webhook?.url} did not answer 200 after every retry`)
      return wamid
    },
    async injectTemplateStatus(name, event, options = {}) {
      const affected = templateList.filter((t) => t.name === name && (!options.language || t.language === options.language))
      if (affected.length === 0) throw new Error(`injectTemplateStatus: no template named ${name}${options.language ? ` in ${options.language}` : ''}`)
      const status = statusAfter(event as TemplateEvent)
      for (const template of affected) if (status) template.status = status
      if (!webhooks) return
      const posts = [...wabaIds].flatMap((wabaId) =>
        affected.map((template) =>
          webhooks.post(
            envelope(wabaId, 'message_template_status_update', {
              event,
              message_template_id: Number(template.id),
              message_template_name: template.name,
              message_template_language: template.language,
              reason: options.reason ?? 'NONE',
              message_template_category: template.category,
              ...(event === 'PAUSED' ? { other_info: { title: 'FIRST_PAUSE', description: 'Paused by the simulator.' } } : {}),
            }),
          ),
        ),
      )
      await Promise.all(posts)
    },
    setQualityRating(phoneNumberId, rating) {
      const state = phones.get(phoneNumberId)
      if (!state) throw new Error(`setQualityRating: unknown phoneNumberId ${phoneNumberId}`)
      state.phone.qualityRating = rating
    },
    async injectQualityUpdate(phoneNumberId, update) {
      const state = phones.get(phoneNumberId)
      if (!state) throw new Error(`injectQualityUpdate: unknown phoneNumberId ${phoneNumberId}`)
      const { phone } = state
      const oldLimit = phone.tier ?? 'TIER_UNLIMITED'
      phone.tier = update.currentLimit ?? oldLimit
      const quality = qualityAfter(update.event)
      if (quality) phone.qualityRating = quality
      const meta = phoneMetadata(phoneNumberId)
      const delivered = await requireWebhooks('injectQualityUpdate').post(
        envelope(meta.wabaId, 'phone_number_quality_update', {
          display_phone_number: meta.displayDigits,
          event: update.event,
          ...(phone.tier !== oldLimit ? { old_limit: oldLimit } : {}),
          current_limit: phone.tier,
          max_daily_conversations_per_business: phone.tier,
        }),
      )
      if (!delivered) throw new Error(`injectQualityUpdate: the webhook at ${opts.webhook?.url} did not answer 200 after every retry`)
    },
    templates: () => templateList.map((t) => ({ ...t })),
  }
}

/** Before 2025-10 a number was "Flagged" when its quality fell to low (red), and unflagged when it recovered. */
function qualityAfter(event: QualityEvent): QualityRating | null {
  switch (event) {
    case 'FLAGGED':
      return 'RED'
    case 'UNFLAGGED':
      return 'GREEN'
    case 'UPGRADE':
    case 'DOWNGRADE':
    case 'ONBOARDING':
    case 'THROUGHPUT_UPGRADE':
      return null
    default:
      return assertNever(event, 'quality event')
  }
}

/** The template status an event leaves behind; null when the event does not change it. */
function statusAfter(event: TemplateEvent): TemplateStatus | null {
  switch (event) {
    case 'APPROVED':
    case 'REINSTATED':
    case 'UNARCHIVED':
      return 'APPROVED'
    case 'PAUSED':
      return 'PAUSED'
    case 'DISABLED':
    case 'LOCKED':
    case 'DELETED':
    case 'ARCHIVED':
    case 'PENDING_DELETION':
      return 'DISABLED'
    case 'REJECTED':
      return 'REJECTED'
    case 'PENDING':
    case 'IN_APPEAL':
      return 'PENDING'
    case 'FLAGGED':
    case 'LIMIT_EXCEEDED':
      return null
    default:
      return assertNever(event, 'template event')
  }
}

function deliveryOf(failure: InjectedFailure): FailureDelivery {
  return failure.delivery ?? (failure.async ? 'webhook' : 'sync')
}

/** Refuses rules that cannot do what they say, naming what to fix. */
function checkFailures(list: InjectedFailure[], webhook: WebhookOptions | undefined): InjectedFailure[] {
  for (const failure of list) {
    const name = `failures: the rule for code ${failure.code}`
    if (!Number.isInteger(failure.code)) throw new Error(`${name} needs an integer Cloud API error code, e.g. 131026`)
    if (!(failure.rate >= 0 && failure.rate <= 1)) throw new Error(`${name} needs a rate between 0 and 1 (got ${failure.rate})`)
    const delivery = deliveryOf(failure)
    if (delivery !== 'sync' && delivery !== 'webhook') throw new Error(`${name} has delivery "${String(delivery)}": use 'sync' or 'webhook'`)
    if (delivery === 'webhook' && !webhook?.statuses) {
      throw new Error(`${name} is delivered by webhook: start the simulator with webhook { url, appSecret, statuses: true }`)
    }
    const range = failure.delayMs
    const validDelay =
      range === undefined || (typeof range === 'number' ? range >= 0 : range.min >= 0 && range.max >= range.min)
    if (!validDelay) throw new Error(`${name} has an invalid delayMs: give milliseconds ≥ 0 or { min, max } with min ≤ max`)
  }
  return list
}

function nonexistingField(field: string, nodeType: string): GraphError {
  return new GraphError(100, `Unknown field (${field}).`, undefined, 400, `Tried accessing nonexisting field (${field}) on node type (${nodeType})`)
}

function splitList(value: string | null): string[] {
  return value ? value.split(',').map((s) => s.trim()).filter(Boolean) : []
}

/** `fields=a,b,throughput{level}` → ['a','b','throughput']; the defaults when absent. */
function parseFields(query: URLSearchParams, defaults: string[]): string[] {
  const raw = query.get('fields')
  if (!raw) return defaults
  return raw.replace(/\{[^}]*\}/g, '').split(',').map((s) => s.trim()).filter(Boolean)
}

function parseLimit(raw: string | null): number {
  if (raw === null) return DEFAULT_PAGE_SIZE
  const limit = Number(raw)
  if (!Number.isInteger(limit) || limit < 1) throw badParam(`The parameter limit must be a positive integer (got "${raw}").`)
  return Math.min(limit, MAX_PAGE_SIZE)
}

function encodeCursor(index: number): string {
  return Buffer.from(`sim:${index}`).toString('base64url')
}

function decodeCursor(cursor: string): number {
  const match = /^sim:(\d+)$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'))
  if (!match) throw badParam(`Invalid cursor "${cursor}": pass paging.cursors.after from a previous page.`)
  return Number(match[1])
}
