// Meta's webhook side: signature check over raw bytes, the GET handshake, a tolerant parser, and STOP keywords.

import { createHmac, timingSafeEqual } from 'node:crypto'
import { readTier } from '../../shared/types'
import type {
  InboundMessage,
  OptOutEvent,
  ParsedWebhook,
  QualityUpdateEvent,
  StatusUpdate,
  TemplateStatusEvent,
} from './types'

/** `X-Hub-Signature-256: sha256=<hex>` over the exact bytes received; never over re-serialised JSON. */
export function verifySignature(rawBody: Buffer, header: string | undefined, appSecret: string): boolean {
  if (!header || !appSecret) return false
  const match = /^sha256=([0-9a-f]{64})$/i.exec(header.trim())
  if (!match) return false
  const expected = createHmac('sha256', appSecret).update(rawBody).digest()
  const given = Buffer.from(match[1], 'hex')
  return given.length === expected.length && timingSafeEqual(given, expected)
}

/** The header Meta would send with these bytes (the webhook check signs its own test event with it). */
export function signBody(rawBody: Buffer, appSecret: string): string {
  return `sha256=${createHmac('sha256', appSecret).update(rawBody).digest('hex')}`
}

/** The GET handshake: the challenge to echo back when the verify token matches, otherwise null (answer 403). */
export function verifyHandshake(query: Record<string, unknown>, verifyToken: string): string | null {
  const mode = query['hub.mode']
  const token = query['hub.verify_token']
  const challenge = query['hub.challenge']
  if (mode !== 'subscribe' || typeof token !== 'string' || typeof challenge !== 'string' || !verifyToken) return null
  const a = Buffer.from(token)
  const b = Buffer.from(verifyToken)
  return a.length === b.length && timingSafeEqual(a, b) ? challenge : null
}

const DELIVERY_STATUSES = new Set<StatusUpdate['status']>(['sent', 'delivered', 'read', 'failed'])

/** Everything we understand in a webhook POST; unknown fields, types and shapes are skipped, never thrown on. */
export function parseWebhook(body: unknown, receivedAt: number = Date.now()): ParsedWebhook {
  const parsed: ParsedWebhook = { statuses: [], inbound: [], optOuts: [], templateEvents: [] }
  for (const entry of records(isRecord(body) ? body.entry : undefined)) {
    const wabaId = str(entry.id)
    for (const change of records(entry.changes)) {
      const value = isRecord(change.value) ? change.value : null
      if (!value) continue
      const phoneNumberId = isRecord(value.metadata) ? str(value.metadata.phone_number_id) : null
      switch (change.field) {
        case 'messages':
          parsed.statuses.push(...readStatuses(value, phoneNumberId, receivedAt))
          parsed.inbound.push(...readInbound(value, phoneNumberId, receivedAt))
          break
        case 'user_preferences':
          parsed.optOuts.push(...readOptOuts(value, phoneNumberId, receivedAt))
          break
        case 'message_template_status_update': {
          const event = readTemplateEvent(value, wabaId)
          if (event) parsed.templateEvents.push(event)
          break
        }
        default:
          // Fields we do not subscribe to, or that Meta adds later.
          break
      }
    }
  }
  return parsed
}

export const QUALITY_UPDATE_FIELD = 'phone_number_quality_update'

/** The number tier and quality changes in a webhook POST; anything unreadable is skipped, never thrown on. */
export function parseQualityUpdates(body: unknown): QualityUpdateEvent[] {
  const updates: QualityUpdateEvent[] = []
  for (const entry of records(isRecord(body) ? body.entry : undefined)) {
    for (const change of records(entry.changes)) {
      if (change.field !== QUALITY_UPDATE_FIELD || !isRecord(change.value)) continue
      const value = change.value
      const event = str(value.event)?.toUpperCase()
      if (!event) continue
      updates.push({
        wabaId: str(entry.id),
        displayPhoneNumber: str(value.display_phone_number)?.replace(/\D/g, '') || null,
        event,
        // current_limit was slated for removal in Feb 2026; its successor may be a TIER_* name or a number.
        tier: readTier(value.max_daily_conversations_per_business) ?? readTier(value.current_limit),
      })
    }
  }
  return updates
}

function readStatuses(value: Record<string, unknown>, phoneNumberId: string | null, receivedAt: number): StatusUpdate[] {
  const statuses: StatusUpdate[] = []
  for (const s of records(value.statuses)) {
    const wamid = str(s.id)
    const status = s.status as StatusUpdate['status']
    if (!wamid || !DELIVERY_STATUSES.has(status)) continue
    const error = records(s.errors)[0]
    statuses.push({
      wamid,
      callbackId: str(s.biz_opaque_callback_data),
      status,
      at: epochMs(s.timestamp) ?? receivedAt,
      errorCode: error ? num(error.code) : null,
      errorMessage: error ? errorText(error) : null,
      recipientWaId: str(s.recipient_id),
      phoneNumberId,
    })
  }
  return statuses
}

function errorText(error: Record<string, unknown>): string | null {
  const title = str(error.title) ?? str(error.message)
  const details = isRecord(error.error_data) ? str(error.error_data.details) : null
  if (title && details && details !== title) return `${title}: ${details}`
  return title ?? details
}

function readInbound(value: Record<string, unknown>, phoneNumberId: string | null, receivedAt: number): InboundMessage[] {
  const inbound: InboundMessage[] = []
  for (const m of records(value.messages)) {
    const id = str(m.id)
    if (!id) continue
    const type = str(m.type) ?? 'unknown'
    const { text, payload } = readContent(m)
    inbound.push({
      id,
      from: str(m.from),
      phoneNumberId,
      at: epochMs(m.timestamp) ?? receivedAt,
      type,
      text,
      payload,
      contextId: isRecord(m.context) ? str(m.context.id) : null,
    })
  }
  return inbound
}

function readContent(m: Record<string, unknown>): { text: string | null; payload: string | null } {
  if (isRecord(m.text)) return { text: str(m.text.body), payload: null }
  if (isRecord(m.button)) return { text: str(m.button.text), payload: str(m.button.payload) }
  if (isRecord(m.interactive)) {
    const reply = [m.interactive.button_reply, m.interactive.list_reply].find(isRecord)
    if (reply) return { text: str(reply.title), payload: str(reply.id) }
  }
  return { text: null, payload: null }
}

function readOptOuts(value: Record<string, unknown>, phoneNumberId: string | null, receivedAt: number): OptOutEvent[] {
  const optOuts: OptOutEvent[] = []
  for (const p of records(value.user_preferences)) {
    const waId = str(p.wa_id)
    if (!waId || str(p.value)?.toLowerCase() !== 'stop') continue
    optOuts.push({ waId, phoneNumberId, at: epochMs(p.timestamp) ?? receivedAt, category: str(p.category) })
  }
  return optOuts
}

function readTemplateEvent(value: Record<string, unknown>, wabaId: string | null): TemplateStatusEvent | null {
  const event = str(value.event)
  const templateName = str(value.message_template_name)
  if (!event || !templateName) return null
  return {
    event,
    templateName,
    templateId: str(value.message_template_id),
    language: str(value.message_template_language),
    wabaId,
    reason: str(value.reason),
  }
}

// ── STOP keywords ──

export const DEFAULT_STOP_KEYWORDS: readonly string[] = ['stop', 'baja', 'no mas', 'unsubscribe', 'cancelar']

/**
 * Words that mean "stop" inside a quick-reply button ("Stop promotions", "Darme de baja"). Buttons are chosen by the
 * business, so a word match is safe there; free text must match a keyword exactly ("cancelar mi pedido" is not a
 * STOP). `cancelar` is left out on purpose: a "Cancelar cita" button is not an opt-out.
 */
const STOP_BUTTON_WORDS: readonly string[] = ['stop', 'baja', 'no mas', 'unsubscribe']

/** True when a free-text message is exactly an opt-out keyword, ignoring case, accents, spaces and punctuation. */
export function isStopMessage(text: string | null | undefined, keywords: readonly string[] = DEFAULT_STOP_KEYWORDS): boolean {
  if (!text) return false
  const said = foldText(text)
  return said !== '' && keywords.some((k) => foldText(k) === said)
}

/** True when an inbound message asks to stop: exact keyword text, or a button/reply whose text or payload says so. */
export function isStopReply(message: Pick<InboundMessage, 'type' | 'text' | 'payload'>, keywords: readonly string[] = DEFAULT_STOP_KEYWORDS): boolean {
  if (isStopMessage(message.text, keywords)) return true
  if (message.type !== 'button' && message.type !== 'interactive') return false
  if (isStopMessage(message.payload, keywords)) return true
  return [message.text, message.payload].some((value) => {
    const words = ` ${foldText(value ?? '')} `
    return STOP_BUTTON_WORDS.some((w) => words.includes(` ${w} `))
  })
}

/** Lowercase, no accents, letters and digits only, single spaces: "¡No Más!" → "no mas", "STOP_PROMOS" → "stop promos". */
function foldText(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{Diacritic}/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim()
}

// ── Small readers ──

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function records(value: unknown): Record<string, unknown>[] {
  return Array.isArray(value) ? value.filter(isRecord) : []
}

function str(value: unknown): string | null {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value)
  return typeof value === 'string' && value !== '' ? value : null
}

function num(value: unknown): number | null {
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value
  return typeof n === 'number' && Number.isFinite(n) ? n : null
}

/** Meta's timestamps are Unix seconds, as strings in `messages` and as numbers in `user_preferences`. */
function epochMs(value: unknown): number | null {
  const seconds = num(value)
  return seconds !== null && seconds > 0 ? seconds * 1000 : null
}
