// Test helpers for the simulator suites: a raw fetch client and a tiny webhook receiver that keeps raw bytes.

import { createHmac, timingSafeEqual } from 'node:crypto'
import http from 'node:http'
import type { AddressInfo } from 'node:net'

export const PHONE_ID = '100000000000001'
export const WABA_ID = '200000000000001'
export const TOKEN = 'sim-token'

/** The fields the suites read from Graph replies: a send result, an error envelope, or a listing. */
export interface GraphBody {
  messaging_product?: string
  contacts?: { input: string; wa_id?: string; user_id?: string }[]
  messages?: { id: string; message_status: string }[]
  error?: {
    message: string
    type: string
    code: number
    error_subcode?: number
    /** WhatsApp's errors carry it; Graph's own (auth, unknown objects) and sparse envelopes do not. */
    error_data?: { messaging_product: string; details: string }
    fbtrace_id?: string
  }
  data?: Record<string, unknown>[]
  paging?: { cursors: { before: string; after: string }; next?: string }
  [field: string]: unknown
}

export interface JsonReply {
  status: number
  headers: Headers
  body: GraphBody
}

export async function post(baseUrl: string, body: unknown, opts: { token?: string; path?: string } = {}): Promise<JsonReply> {
  const response = await fetch(`${baseUrl}${opts.path ?? `/v25.0/${PHONE_ID}/messages`}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${opts.token ?? TOKEN}`, 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  })
  return { status: response.status, headers: response.headers, body: await response.json() }
}

export async function get(url: string, token = TOKEN): Promise<JsonReply> {
  const response = await fetch(url, { headers: { authorization: `Bearer ${token}` } })
  return { status: response.status, headers: response.headers, body: await response.json() }
}

export function promo(to: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    messaging_product: 'whatsapp',
    to,
    type: 'template',
    template: {
      name: 'promo_verano',
      language: { code: 'es' },
      components: [{ type: 'body', parameters: [{ type: 'text', text: 'Juan' }, { type: 'text', text: '20% de descuento' }] }],
    },
    ...extra,
  }
}

export interface WebhookStatus {
  id: string
  status: string
  timestamp: string
  recipient_id?: string
  biz_opaque_callback_data?: string
  pricing?: { billable: boolean; pricing_model: string; type: string; category: string }
  conversation?: { id: string; expiration_timestamp?: string; origin: { type: string } }
  /** Sparse errors carry only code and message. */
  errors?: { code: number; title?: string; message: string; error_data?: { details: string }; href?: string }[]
}

export interface WebhookValue {
  messaging_product?: string
  metadata?: { display_phone_number: string; phone_number_id: string }
  statuses?: WebhookStatus[]
  contacts?: { profile: { name: string }; wa_id: string }[]
  messages?: {
    from: string
    id: string
    timestamp: string
    type: string
    text?: { body: string }
    button?: { payload: string; text: string }
    context?: { from: string; id: string }
  }[]
  [field: string]: unknown
}

export interface WebhookPayload {
  object: string
  entry: { id: string; changes: { field: string; value: WebhookValue }[] }[]
}

export interface ReceivedWebhook {
  /** Date.now() when the POST's body had arrived. */
  receivedAt: number
  raw: Buffer
  signature: string | undefined
  json: WebhookPayload
}

export interface WebhookReceiver {
  url: string
  received: ReceivedWebhook[]
  /** Answer 500 to the next `n` POSTs. */
  failNext(n: number): void
  close(): Promise<void>
}

export async function startReceiver(): Promise<WebhookReceiver> {
  const received: ReceivedWebhook[] = []
  let failures = 0
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      if (failures > 0) {
        failures--
        res.writeHead(500).end()
        return
      }
      const raw = Buffer.concat(chunks)
      received.push({ receivedAt: Date.now(), raw, signature: req.headers['x-hub-signature-256'] as string | undefined, json: JSON.parse(raw.toString('utf8')) as WebhookPayload })
      res.writeHead(200).end('EVENT_RECEIVED')
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as AddressInfo).port
  return {
    url: `http://127.0.0.1:${port}/webhook`,
    received,
    failNext: (n) => {
      failures = n
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

/** What our own webhook endpoint must do: HMAC over the exact raw bytes, compared in constant time. */
export function hasValidSignature(hook: ReceivedWebhook, appSecret: string): boolean {
  if (!hook.signature?.startsWith('sha256=')) return false
  const expected = createHmac('sha256', appSecret).update(hook.raw).digest()
  const given = Buffer.from(hook.signature.slice('sha256='.length), 'hex')
  return given.length === expected.length && timingSafeEqual(given, expected)
}

export function statusesOf(hooks: ReceivedWebhook[]): WebhookStatus[] {
  return hooks.flatMap((h) => h.json.entry.flatMap((e) => e.changes.flatMap((c) => c.value.statuses ?? [])))
}
