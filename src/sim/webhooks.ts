// Signed webhook delivery: a timed status ladder per message, batched POSTs, bounded retries, and raw payloads.

import { createHmac } from 'node:crypto'
import http from 'node:http'
import https from 'node:https'
import { asyncError } from './errors'
import type { Random } from './random'
import type { WebhookOptions } from './types'

export type StatusName = 'sent' | 'delivered' | 'read' | 'failed'

export interface PhoneMetadata {
  wabaId: string
  /** Bare digits, as webhooks carry it. */
  displayDigits: string
}

export interface LadderMessage {
  phoneNumberId: string
  wamid: string
  recipientId: string | null
  callbackData: string | null
  /** The template's category, lower case, for `pricing.category`. */
  category: string
  /** Graph API major version of the send; `conversation` is only included up to v23. */
  apiMajor: number
}

interface StatusEvent {
  message: LadderMessage
  status: StatusName
  withPricing: boolean
  errorCode?: number
  /** Posted without its optional fields (pricing, conversation, biz_opaque_callback_data). */
  bare?: boolean
}

interface PendingPost {
  bytes: Buffer
  attempts: number
  done: (delivered: boolean) => void
}

const TICK_MS = 10
const MAX_IN_FLIGHT = 4
const RETRY_BASE_MS = 100
const DUPLICATE_RATE = 0.2

/** Meta signs (and sends) JSON with every code unit above U+007F escaped as lowercase `\uXXXX`. */
export function serializeForSigning(payload: unknown): Buffer {
  const json = JSON.stringify(payload).replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
  return Buffer.from(json, 'ascii')
}

export function signature(bytes: Buffer, appSecret: string): string {
  return `sha256=${createHmac('sha256', appSecret).update(bytes).digest('hex')}`
}

export function unixSeconds(ms: number = Date.now()): string {
  return String(Math.floor(ms / 1000))
}

export function envelope(wabaId: string, field: string, value: object): object {
  return { object: 'whatsapp_business_account', entry: [{ id: wabaId, changes: [{ field, value }] }] }
}

export class WebhookDispatcher {
  private readonly buckets = new Map<number, StatusEvent[]>()
  private scheduled = 0
  private lastTick = Math.floor(Date.now() / TICK_MS)
  private ticker: NodeJS.Timeout | null = null
  private readonly queue: PendingPost[] = []
  private readonly inFlight = new Set<PendingPost>()
  private readonly retryTimers = new Map<NodeJS.Timeout, PendingPost>()
  private idleWaiters: (() => void)[] = []
  private readonly agent: http.Agent
  private readonly target: URL
  private stopped = false
  dropped = 0

  constructor(
    private readonly options: WebhookOptions,
    private readonly phoneMetadata: (phoneNumberId: string) => PhoneMetadata,
    private readonly random: Random,
    /** Failed statuses carry only code and message in `errors[]`. */
    private readonly sparseErrors = false,
  ) {
    try {
      this.target = new URL(options.url)
    } catch {
      throw new Error(`webhook.url "${options.url}" is not a valid URL: give an absolute http(s) URL such as http://127.0.0.1:3000/webhook`)
    }
    if (this.target.protocol !== 'http:' && this.target.protocol !== 'https:') {
      throw new Error(`webhook.url "${options.url}" must use http or https`)
    }
    if (!options.appSecret) throw new Error('webhook.appSecret is required: the simulator signs every webhook with it')
    const Agent = this.target.protocol === 'https:' ? https.Agent : http.Agent
    this.agent = new Agent({ keepAlive: true, maxSockets: MAX_IN_FLIGHT })
  }

  private get delayMs(): number {
    return this.options.deliverDelayMs ?? 100
  }

  /**
   * Schedules sent → delivered → (read), or a single failed status when `failure` is set: after its `delayMs`,
   * by default about as long as a delivery takes.
   */
  scheduleLadder(message: LadderMessage, failure?: { code: number; delayMs?: number } | null): void {
    if (!this.options.statuses || this.stopped) return
    const now = Date.now()
    const d = this.delayMs
    if (failure) {
      const due = now + (failure.delayMs ?? d * (0.5 + this.random()))
      this.schedule({ message, status: 'failed', withPricing: false, errorCode: failure.code }, due)
      return
    }
    this.schedule({ message, status: 'sent', withPricing: true }, now)
    const deliveredAt = now + d * (0.5 + this.random())
    const read = this.random() < (this.options.readRate ?? 0.6)
    if (read) {
      const readAt = deliveredAt + d * (0.5 + this.random() * 1.5)
      if (this.options.skipDelivered) {
        this.schedule({ message, status: 'read', withPricing: true }, readAt)
        return
      }
      this.schedule({ message, status: 'read', withPricing: false }, readAt)
    }
    this.schedule({ message, status: 'delivered', withPricing: true }, deliveredAt)
  }

  /** Serializes once, signs those bytes and delivers them with retries; resolves false if it was dropped. */
  post(payload: object): Promise<boolean> {
    if (this.stopped) return Promise.resolve(false)
    return new Promise((done) => {
      this.queue.push({ bytes: serializeForSigning(payload), attempts: 0, done })
      this.pump()
    })
  }

  /** Resolves when nothing is scheduled, queued, in flight or waiting for a retry. */
  flush(): Promise<void> {
    if (this.isIdle()) return Promise.resolve()
    return new Promise((resolve) => this.idleWaiters.push(resolve))
  }

  stop(): void {
    this.stopped = true
    if (this.ticker) clearInterval(this.ticker)
    this.ticker = null
    const abandoned = [...this.queue.splice(0), ...this.inFlight, ...this.retryTimers.values()]
    for (const timer of this.retryTimers.keys()) clearTimeout(timer)
    this.retryTimers.clear()
    this.inFlight.clear()
    this.buckets.clear()
    this.scheduled = 0
    this.agent.destroy()
    for (const post of abandoned) post.done(false)
    this.settle()
  }

  private schedule(drawn: StatusEvent, dueMs: number): void {
    // No draw at rate 0: seeded runs repeat exactly as before the option existed.
    const bareRate = this.options.sparseStatusRate ?? 0
    const event = { ...drawn, bare: bareRate > 0 && this.random() < bareRate }
    let due = dueMs
    if (this.options.reorder) due += this.random() * 2 * this.delayMs
    this.addToBucket(event, due)
    if (this.options.duplicates && this.random() < DUPLICATE_RATE) this.addToBucket(event, due + this.random() * this.delayMs)
  }

  private addToBucket(event: StatusEvent, dueMs: number): void {
    const tick = Math.max(Math.ceil(dueMs / TICK_MS), this.lastTick + 1)
    const bucket = this.buckets.get(tick)
    if (bucket) bucket.push(event)
    else this.buckets.set(tick, [event])
    this.scheduled++
    // Sends never wait for webhooks: a timer collects due statuses in batches.
    this.ticker ??= setInterval(() => this.collectDue(), TICK_MS)
  }

  private collectDue(): void {
    const nowTick = Math.floor(Date.now() / TICK_MS)
    const due: StatusEvent[] = []
    for (let tick = this.lastTick + 1; tick <= nowTick; tick++) {
      const bucket = this.buckets.get(tick)
      if (bucket) {
        this.buckets.delete(tick)
        for (const event of bucket) due.push(event)
      }
    }
    this.lastTick = nowTick
    this.scheduled -= due.length
    if (this.scheduled === 0 && this.ticker) {
      clearInterval(this.ticker)
      this.ticker = null
    }
    if (due.length > 0) this.postStatuses(due)
    else this.settle()
  }

  private postStatuses(events: StatusEvent[]): void {
    if (this.options.reorder) shuffle(events, this.random)
    const byPhone = new Map<string, StatusEvent[]>()
    for (const event of events) {
      const list = byPhone.get(event.message.phoneNumberId)
      if (list) list.push(event)
      else byPhone.set(event.message.phoneNumberId, [event])
    }
    const batchSize = Math.max(1, this.options.batchSize ?? 100)
    const timestamp = unixSeconds()
    for (const [phoneNumberId, list] of byPhone) {
      const meta = this.phoneMetadata(phoneNumberId)
      for (let i = 0; i < list.length; i += batchSize) {
        const statuses = list.slice(i, i + batchSize).map((e) => statusObject(e, timestamp, this.sparseErrors))
        void this.post(
          envelope(meta.wabaId, 'messages', {
            messaging_product: 'whatsapp',
            metadata: { display_phone_number: meta.displayDigits, phone_number_id: phoneNumberId },
            statuses,
          }),
        )
      }
    }
  }

  private pump(): void {
    while (this.inFlight.size < MAX_IN_FLIGHT && this.queue.length > 0 && !this.stopped) {
      const post = this.queue.shift() as PendingPost
      this.inFlight.add(post)
      this.send(post)
    }
    this.settle()
  }

  private send(post: PendingPost): void {
    post.attempts++
    const transport = this.target.protocol === 'https:' ? https : http
    let finished = false
    const finish = (ok: boolean): void => {
      if (finished || this.stopped) return
      finished = true
      this.inFlight.delete(post)
      if (ok) post.done(true)
      else this.retryOrDrop(post)
      this.pump()
    }
    const request = transport.request(
      this.target,
      {
        method: 'POST',
        agent: this.agent,
        headers: {
          'content-type': 'application/json',
          'content-length': post.bytes.length,
          'x-hub-signature-256': signature(post.bytes, this.options.appSecret),
          'user-agent': 'facebookexternalua',
        },
      },
      (response) => {
        response.resume()
        response.on('end', () => finish(response.statusCode === 200))
        response.on('error', () => finish(false))
      },
    )
    request.setTimeout(10_000, () => request.destroy(new Error('webhook timeout')))
    request.on('error', () => finish(false))
    request.end(post.bytes)
  }

  private retryOrDrop(post: PendingPost): void {
    if (post.attempts >= (this.options.maxAttempts ?? 5)) {
      this.dropped++
      post.done(false)
      return
    }
    // Meta retries "immediately, then with decreasing frequency": bounded exponential backoff here.
    const timer = setTimeout(() => {
      this.retryTimers.delete(timer)
      this.queue.push(post)
      this.pump()
    }, RETRY_BASE_MS * 2 ** (post.attempts - 1))
    this.retryTimers.set(timer, post)
  }

  private isIdle(): boolean {
    return this.scheduled === 0 && this.queue.length === 0 && this.inFlight.size === 0 && this.retryTimers.size === 0
  }

  private settle(): void {
    if (this.idleWaiters.length === 0 || !(this.isIdle() || this.stopped)) return
    const waiters = this.idleWaiters
    this.idleWaiters = []
    for (const resolve of waiters) resolve()
  }
}

function statusObject(event: StatusEvent, timestamp: string, sparseErrors: boolean): object {
  const { message } = event
  const withPricing = event.withPricing && !event.bare
  const pricing = withPricing ? { billable: true, pricing_model: 'PMP', type: 'regular', category: message.category } : undefined
  const conversation =
    withPricing && message.apiMajor <= 23
      ? {
          id: message.wamid.slice(-32),
          ...(event.status === 'sent' ? { expiration_timestamp: String(Number(timestamp) + 86_400) } : {}),
          origin: { type: message.category },
        }
      : undefined
  const callbackData = event.bare ? null : message.callbackData
  return {
    id: message.wamid,
    status: event.status,
    timestamp,
    ...(message.recipientId !== null ? { recipient_id: message.recipientId } : {}),
    ...(callbackData !== null ? { biz_opaque_callback_data: callbackData } : {}),
    ...(conversation ? { conversation } : {}),
    ...(pricing ? { pricing } : {}),
    ...(event.errorCode !== undefined ? { errors: [asyncError(event.errorCode, sparseErrors)] } : {}),
  }
}

function shuffle<T>(list: T[], random: Random): void {
  for (let i = list.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1))
    ;[list[i], list[j]] = [list[j], list[i]]
  }
}
