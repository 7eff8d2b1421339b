// The Cloud API adapter: HTTP to the Graph API over kept-alive undici pools, answers mapped to typed results.

import { createHash } from 'node:crypto'
import { Agent, type Dispatcher } from 'undici'
import { maskSecrets } from '../log/maskSecrets'
import { readTier, type ApprovedTemplate, type MessagingLimitTier, type TemplateComponent } from '../../shared/types'
import {
  GraphApiError,
  type CloudApi,
  type GraphCredentials,
  type PhoneNumberInfo,
  type SendResult,
  type TemplatePayload,
} from './types'

/** The Graph endpoint and version when neither the account nor the caller says otherwise. */
export function graphDefaults(): { graphUrl: string; version: string } {
  return {
    graphUrl: process.env.PREGON_GRAPH_URL || 'https://graph.facebook.com',
    version: process.env.PREGON_GRAPH_VERSION || 'v25.0',
  }
}

export interface CloudApiOptions {
  /** Sockets per origin, each carrying one request at a time: the app passes the engine's in-flight ceiling. */
  connections?: number
  /** Connect, headers and body timeouts, each. */
  timeoutMs?: number
}

const PHONE_FIELDS = [
  'verified_name',
  'display_phone_number',
  'quality_rating',
  'throughput',
  'whatsapp_business_manager_messaging_limit',
  'status',
  'account_mode',
  'name_status',
].join(',')
/** Deprecated, yet some numbers still answer only this one: asked for alone, so its removal cannot break validation. */
const DEPRECATED_TIER_FIELD = 'messaging_limit_tier'
const TEMPLATE_FIELDS = 'name,language,status,category,components,parameter_format,id'
const MAX_PAGES = 500
const MAX_RESPONSE_BYTES = 8 * 1024 * 1024

/** Failures where the request certainly never reached the server. */
const NEVER_SENT_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_CONNECT_TIMEOUT',
])

interface RawResponse {
  status: number
  /** undici's raw name/value pairs, read only when an answer needs one (rate-limit waits). */
  rawHeaders: Buffer[]
  body: string
}

/** Where an account's sends go and with which headers: worked out once per credentials, not per message. */
interface SendTarget {
  creds: GraphCredentials
  origin: string
  path: string
  headers: Record<string, string>
}

type Exchange =
  | { ok: true; response: RawResponse }
  /** `written`: undici handed the whole request to the socket before the failure. */
  | { ok: false; error: Error; written: boolean }

export function createCloudApi(opts: CloudApiOptions = {}): CloudApi {
  const timeoutMs = opts.timeoutMs ?? 30_000
  // One Agent keeps one Pool per origin: bounded sockets, reused across every campaign of the process.
  const agent = new Agent({
    connections: opts.connections ?? 32,
    pipelining: 1,
    keepAliveTimeout: 10_000,
    connect: { timeout: timeoutMs },
    headersTimeout: timeoutMs,
    bodyTimeout: timeoutMs,
  })

  function exchange(options: Dispatcher.DispatchOptions): Promise<Exchange> {
    return new Promise((resolve) => {
      let written = false
      let status = 0
      let rawHeaders: Buffer[] = []
      const chunks: Buffer[] = []
      let size = 0
      let abort: ((err?: Error) => void) | null = null
      // undici's callback handler: the only hook that tells whether the request was written (onRequestSent).
      const handler: Dispatcher.DispatchHandler & { onRequestSent(): void } = {
        onConnect(abortRequest) {
          abort = abortRequest
        },
        onRequestSent() {
          written = true
        },
        onHeaders(statusCode, headers) {
          status = statusCode
          rawHeaders = headers
          return true
        },
        onData(chunk) {
          size += chunk.length
          if (size > MAX_RESPONSE_BYTES) abort?.(new Error(`response larger than ${MAX_RESPONSE_BYTES} bytes`))
          else chunks.push(chunk)
          return true
        },
        onComplete() {
          resolve({
            ok: true,
            response: { status, rawHeaders, body: chunks.length === 1 ? chunks[0].toString('utf8') : Buffer.concat(chunks).toString('utf8') },
          })
        },
        onError(error) {
          resolve({ ok: false, error, written })
        },
      }
      try {
        agent.dispatch(options, handler)
      } catch (error) {
        resolve({ ok: false, error: error instanceof Error ? error : new Error(String(error)), written: false })
      }
    })
  }

  async function graphGet(creds: GraphCredentials, target: URL): Promise<Record<string, unknown>> {
    const result = await exchange({
      origin: target.origin,
      path: target.pathname + target.search,
      method: 'GET',
      headers: authHeaders(creds.accessToken),
    })
    if (!result.ok) {
      throw new GraphApiError(
        redact(`Could not reach ${target.origin}: ${describeNetworkError(result.error)}`, creds.accessToken),
        null,
        null,
      )
    }
    const { status, body } = result.response
    const json = parseJson(body)
    const envelope = readErrorEnvelope(json)
    if (envelope) {
      throw new GraphApiError(
        redact(envelope.message, creds.accessToken),
        envelope.code,
        status,
        envelope.details === null ? null : redact(envelope.details, creds.accessToken),
      )
    }
    if (status < 200 || status > 299 || !isRecord(json)) {
      throw new GraphApiError(`The Graph API answered HTTP ${status} without a readable body`, null, status, snippet(body, creds.accessToken))
    }
    return json
  }

  /** Every item of a paged Graph listing, following `paging.next` on our own origin only. */
  async function* pages(creds: GraphCredentials, first: URL): AsyncGenerator<unknown> {
    const seen = new Set<string>()
    let next: URL | null = first
    while (next) {
      if (seen.has(next.href) || seen.size >= MAX_PAGES) throw new GraphApiError(`Paging did not end after ${seen.size} pages`, null, null)
      seen.add(next.href)
      const page = await graphGet(creds, next)
      if (Array.isArray(page.data)) yield* page.data
      next = nextPage(page, first)
    }
  }

  /** The deprecated tier field, when the current one said nothing readable; unknown (null) if Meta refuses it too. */
  async function deprecatedTier(creds: GraphCredentials): Promise<MessagingLimitTier | null> {
    const target = graphTarget(creds, [creds.phoneNumberId])
    target.searchParams.set('fields', DEPRECATED_TIER_FIELD)
    try {
      return readTier((await graphGet(creds, target))[DEPRECATED_TIER_FIELD])
    } catch (error) {
      if (error instanceof GraphApiError) return null
      throw error
    }
  }

  const sendTargets = new WeakMap<GraphCredentials, SendTarget>()
  function sendTarget(creds: GraphCredentials): SendTarget {
    const known = sendTargets.get(creds)
    if (known && sameCredentials(known.creds, creds)) return known
    const url = graphTarget(creds, [creds.phoneNumberId, 'messages'])
    const target = {
      creds: { ...creds },
      origin: url.origin,
      path: url.pathname,
      headers: { ...authHeaders(creds.accessToken), 'content-type': 'application/json' },
    }
    sendTargets.set(creds, target)
    return target
  }

  return {
    async sendTemplate(creds, to, template, callbackData) {
      const target = sendTarget(creds)
      const started = performance.now()
      const body = JSON.stringify(sendBody(to, template, callbackData))
      const result = await exchange({ origin: target.origin, path: target.path, method: 'POST', headers: target.headers, body })
      const latencyMs = Math.round(performance.now() - started)
      if (!result.ok) {
        return {
          ok: false,
          kind: 'network',
          phase: networkPhase(result.error, result.written),
          message: redact(describeNetworkError(result.error), creds.accessToken),
          latencyMs,
        }
      }
      return readSendResponse(result.response, latencyMs, creds.accessToken)
    },

    async getPhoneNumber(creds) {
      const target = graphTarget(creds, [creds.phoneNumberId])
      target.searchParams.set('fields', PHONE_FIELDS)
      const info = toPhoneNumberInfo(await graphGet(creds, target), creds.phoneNumberId)
      if (info.messagingLimitTier !== null) return info
      return { ...info, messagingLimitTier: await deprecatedTier(creds) }
    },

    async listPhoneNumberIds(creds) {
      const first = graphTarget(creds, [creds.wabaId, 'phone_numbers'])
      first.searchParams.set('fields', 'id')
      first.searchParams.set('limit', '100')
      const ids: string[] = []
      for await (const item of pages(creds, first)) if (isRecord(item) && typeof item.id === 'string') ids.push(item.id)
      return ids
    },

    async listTemplates(creds) {
      const first = graphTarget(creds, [creds.wabaId, 'message_templates'])
      first.searchParams.set('fields', TEMPLATE_FIELDS)
      first.searchParams.set('limit', '100')
      const templates: ApprovedTemplate[] = []
      for await (const item of pages(creds, first)) {
        const template = toApprovedTemplate(item)
        if (template) templates.push(template)
      }
      return templates
    },

    async close() {
      await agent.close()
    },
  }
}

// ── Requests ──

function graphTarget(creds: GraphCredentials, segments: string[]): URL {
  let base: URL
  try {
    base = new URL(creds.graphUrl)
  } catch {
    throw new GraphApiError(`The Graph URL "${creds.graphUrl}" is not a valid URL; use e.g. https://graph.facebook.com`, null, null)
  }
  if (base.protocol !== 'https:' && base.protocol !== 'http:') {
    throw new GraphApiError(`The Graph URL "${creds.graphUrl}" must start with https:// (or http:// for the simulator)`, null, null)
  }
  const prefix = base.pathname.replace(/\/+$/, '')
  const path = [creds.version, ...segments].map(encodeURIComponent).join('/')
  return new URL(`${prefix}/${path}`, base.origin)
}

function sameCredentials(a: GraphCredentials, b: GraphCredentials): boolean {
  return a.graphUrl === b.graphUrl && a.version === b.version && a.phoneNumberId === b.phoneNumberId && a.accessToken === b.accessToken
}

function authHeaders(token: string): Record<string, string> {
  return { authorization: `Bearer ${token}`, accept: 'application/json', 'user-agent': 'pregon' }
}

function sendBody(to: string, template: TemplatePayload, callbackData: string): Record<string, unknown> {
  return {
    messaging_product: 'whatsapp',
    recipient_type: 'individual',
    to,
    type: 'template',
    template,
    biz_opaque_callback_data: callbackData,
  }
}

/** Meta's paging.next carries the token in its query: follow only our own origin, and send the token as a header. */
function nextPage(page: Record<string, unknown>, first: URL): URL | null {
  const paging = page.paging
  if (!isRecord(paging) || typeof paging.next !== 'string' || paging.next === '') return null
  let next: URL
  try {
    next = new URL(paging.next, first)
  } catch {
    throw new GraphApiError('Graph paging returned an unreadable next-page address', null, null)
  }
  if (next.origin !== first.origin) {
    throw new GraphApiError(
      `Graph paging pointed to another host (${next.origin}); refusing to send the access token there`,
      null,
      null,
    )
  }
  next.searchParams.delete('access_token')
  return next
}

// ── Responses ──

function readSendResponse(response: RawResponse, latencyMs: number, token: string): SendResult {
  const { status, body } = response
  const json = parseJson(body)
  const envelope = readErrorEnvelope(json)
  if (envelope) {
    return {
      ok: false,
      kind: 'api',
      code: envelope.code ?? 1,
      subcode: envelope.subcode,
      message: redact(envelope.message, token),
      details: envelope.details === null ? null : redact(envelope.details, token),
      httpStatus: status,
      latencyMs,
      retryAfterMs: retryAfterMs(response.rawHeaders),
    }
  }
  if (status >= 200 && status <= 299) {
    const message = isRecord(json) && Array.isArray(json.messages) ? json.messages[0] : undefined
    const contact = isRecord(json) && Array.isArray(json.contacts) ? json.contacts[0] : undefined
    if (isRecord(message) && typeof message.id === 'string' && message.id !== '') {
      return {
        ok: true,
        wamid: message.id,
        waId: isRecord(contact) ? stringOrNull(contact.wa_id) : null,
        messageStatus: stringOrNull(message.message_status),
        httpStatus: status,
        latencyMs,
      }
    }
    // Meta said 200 (accepted) but we cannot tell which message: the row must stay uncertain, never be resent.
    return {
      ok: false,
      kind: 'network',
      phase: 'after_write',
      message: `The Cloud API answered HTTP ${status} without a message id`,
      latencyMs,
    }
  }
  // Something answered (Meta or a proxy in front of it) without an error envelope: unknown, retry with backoff.
  return {
    ok: false,
    kind: 'api',
    code: 1,
    subcode: null,
    message: `The Cloud API answered HTTP ${status} without an error body`,
    details: snippet(body, token),
    httpStatus: status,
    latencyMs,
    retryAfterMs: retryAfterMs(response.rawHeaders),
  }
}

interface ErrorEnvelope {
  code: number | null
  subcode: number | null
  message: string
  details: string | null
}

function readErrorEnvelope(json: unknown): ErrorEnvelope | null {
  if (!isRecord(json) || !isRecord(json.error)) return null
  const error = json.error
  const code = numberOrNull(error.code)
  return {
    code,
    subcode: numberOrNull(error.error_subcode),
    message: stringOrNull(error.message) ?? `(#${code ?? '?'}) Graph API error`,
    details: errorDataDetails(error.error_data) ?? stringOrNull(error.error_user_msg),
  }
}

/** `error_data` is an object on WhatsApp errors, but Graph also sends it JSON-encoded, or as plain text. */
function errorDataDetails(errorData: unknown): string | null {
  if (isRecord(errorData)) return stringOrNull(errorData.details)
  if (typeof errorData !== 'string') return null
  const decoded = parseJson(errorData)
  if (isRecord(decoded)) return stringOrNull(decoded.details)
  return decoded === undefined ? stringOrNull(errorData) : null
}

/**
 * The longest wait Meta asks for, uncapped (the engine decides how much of it to honour): `Retry-After`
 * (seconds or an HTTP date) and `x-business-use-case-usage`'s `estimated_time_to_regain_access` (minutes).
 * Unreadable headers count as no wait. `x-app-usage` only reports percentages, so it sets no wait.
 */
function retryAfterMs(rawHeaders: Buffer[]): number | null {
  const wait = Math.max(retryAfterHeaderMs(header(rawHeaders, 'retry-after')), regainAccessMs(header(rawHeaders, 'x-business-use-case-usage')))
  return wait > 0 ? wait : null
}

function retryAfterHeaderMs(value: string | undefined): number {
  const text = value?.trim() ?? ''
  if (text === '') return 0
  const seconds = Number(text)
  if (!Number.isNaN(seconds)) return Number.isFinite(seconds) && seconds > 0 ? seconds * 1_000 : 0
  const at = Date.parse(text)
  return Number.isFinite(at) ? Math.max(0, at - Date.now()) : 0
}

/** `{ "<business id>": [{ estimated_time_to_regain_access: <minutes> }, …], … }` */
function regainAccessMs(value: string | undefined): number {
  const parsed = value === undefined ? undefined : parseJson(value)
  if (!isRecord(parsed)) return 0
  let minutes = 0
  for (const entries of Object.values(parsed)) {
    if (!Array.isArray(entries)) continue
    for (const entry of entries) {
      const wait = isRecord(entry) ? numberOrNull(entry.estimated_time_to_regain_access) : null
      if (wait !== null && wait > minutes) minutes = wait
    }
  }
  return minutes * 60_000
}

function toPhoneNumberInfo(json: Record<string, unknown>, phoneNumberId: string): PhoneNumberInfo {
  const throughput = isRecord(json.throughput) ? json.throughput : {}
  return {
    id: stringOrNull(json.id) ?? phoneNumberId,
    verifiedName: stringOrNull(json.verified_name),
    displayPhoneNumber: stringOrNull(json.display_phone_number),
    qualityRating: stringOrNull(json.quality_rating),
    messagingLimitTier: readTier(json.whatsapp_business_manager_messaging_limit) ?? readTier(json[DEPRECATED_TIER_FIELD]),
    throughputLevel: stringOrNull(throughput.level),
    status: stringOrNull(json.status),
    accountMode: stringOrNull(json.account_mode),
  }
}

const COMPONENT_TYPES = new Set<TemplateComponent['type']>(['HEADER', 'BODY', 'FOOTER', 'BUTTONS'])

function toApprovedTemplate(item: unknown): ApprovedTemplate | null {
  if (!isRecord(item) || typeof item.name !== 'string' || typeof item.language !== 'string') return null
  const components: TemplateComponent[] = []
  for (const c of Array.isArray(item.components) ? item.components : []) {
    if (!isRecord(c) || typeof c.type !== 'string') continue
    const type = c.type.toUpperCase() as TemplateComponent['type']
    if (!COMPONENT_TYPES.has(type)) continue
    const component: TemplateComponent = { type }
    if (typeof c.format === 'string') component.format = c.format.toUpperCase() as TemplateComponent['format']
    if (typeof c.text === 'string') component.text = c.text
    if (Array.isArray(c.buttons)) {
      component.buttons = c.buttons.filter(isRecord).map((b) => ({
        type: String(b.type ?? ''),
        text: String(b.text ?? ''),
        ...(typeof b.url === 'string' ? { url: b.url } : {}),
      }))
    }
    if (c.example !== undefined) component.example = c.example
    components.push(component)
  }
  return {
    id: String(item.id ?? ''),
    name: item.name,
    language: item.language,
    status: String(item.status ?? ''),
    category: String(item.category ?? ''),
    parameterFormat: item.parameter_format === 'NAMED' ? 'NAMED' : 'POSITIONAL',
    components,
  }
}

// ── Network errors ──

function errorCode(error: Error): string | null {
  const own = (error as { code?: unknown }).code
  if (typeof own === 'string') return own
  const cause = (error as { cause?: unknown }).cause
  if (cause instanceof Error) return errorCode(cause)
  return null
}

function networkPhase(error: Error, written: boolean): 'before_write' | 'after_write' {
  const code = errorCode(error)
  if (code !== null && NEVER_SENT_CODES.has(code)) return 'before_write'
  return written ? 'after_write' : 'before_write'
}

function describeNetworkError(error: Error): string {
  const code = errorCode(error)
  return code && !error.message.includes(code) ? `${code}: ${error.message}` : error.message || String(code)
}

// ── Small readers ──

/** The first value of header `name` (lower case) in undici's raw pairs. */
function header(raw: Buffer[], name: string): string | undefined {
  for (let i = 0; i + 1 < raw.length; i += 2) {
    if (raw[i].length === name.length && raw[i].toString('latin1').toLowerCase() === name) return raw[i + 1].toString('utf8')
  }
  return undefined
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function stringOrNull(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null
}

function numberOrNull(value: unknown): number | null {
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value
  return typeof n === 'number' && Number.isFinite(n) ? n : null
}

/** Masked before it is cut: a token straddling the cut would otherwise leave a readable piece. */
function snippet(body: string, token: string): string | null {
  const trimmed = body.trim()
  return trimmed === '' ? null : redact(trimmed, token).slice(0, 300)
}

/** Belt and braces: whatever echoes the token (or our Authorization header) back, it never reaches a message. */
function redact(text: string, token: string): string {
  return maskSecrets(text, [token])
}

// ── Template list cache ──

export interface TemplateCache {
  /** The cached list while fresh; `refresh` forces a new fetch. Errors are not cached. */
  get(creds: GraphCredentials, opts?: { refresh?: boolean }): Promise<ApprovedTemplate[]>
  clear(): void
}

/** Meta counts template-list calls against a small hourly quota (§4.3): fetch once per TTL, share in-flight calls. */
export function createTemplateCache(api: CloudApi, ttlMs: number, now: () => number = Date.now): TemplateCache {
  const entries = new Map<string, { at: number; templates: Promise<ApprovedTemplate[]> }>()
  const keyOf = (creds: GraphCredentials) => {
    const tokenId = createHash('sha256').update(creds.accessToken).digest('hex').slice(0, 16)
    return [creds.graphUrl, creds.version, creds.wabaId, tokenId].join('|')
  }
  return {
    get(creds, opts = {}) {
      const key = keyOf(creds)
      const cached = entries.get(key)
      if (cached && !opts.refresh && now() - cached.at < ttlMs) return cached.templates
      const templates = api.listTemplates(creds)
      const entry = { at: now(), templates }
      entries.set(key, entry)
      templates.catch(() => {
        if (entries.get(key) === entry) entries.delete(key)
      })
      return templates
    },
    clear() {
      entries.clear()
    },
  }
}
