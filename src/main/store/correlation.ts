// How a webhook status finds its ledger row when its wamid is unknown: the callback data we signed on
// the send, and the sender and recipient the status must name. Shared by every Store backend.
//
// Several installations may sit behind one Meta app or one relay and see each other's statuses. A
// bare row id (a small integer) would name a row in every one of them, so the callback data is the row
// id signed with a key of this installation: unguessable, and different for the same row id elsewhere.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto'

/** Bytes of HMAC-SHA256 kept: 128 bits, 22 characters of base64url. */
const MAC_BYTES = 16

/** A fresh key for a new installation. */
export const newCallbackKey = (): Buffer => randomBytes(32)

const macOf = (key: Buffer, rowId: string): Buffer => createHmac('sha256', key).update(rowId).digest().subarray(0, MAC_BYTES)

/** The `biz_opaque_callback_data` of a send: `<row id>.<mac>`. */
export function callbackDataFor(key: Buffer, rowId: string): string {
  return `${rowId}.${macOf(key, rowId).toString('base64url')}`
}

/** The row id our key signed into `callbackData`; null for anything we did not sign (a bare id included). */
export function rowIdFromCallback(key: Buffer, callbackData: string | null | undefined): string | null {
  if (!callbackData) return null
  const dot = callbackData.indexOf('.')
  if (dot <= 0) return null
  const rowId = callbackData.slice(0, dot)
  // The exact string we would send: a base64 decoder would also take variants (padding, stray characters).
  const given = Buffer.from(callbackData)
  const signed = Buffer.from(callbackDataFor(key, rowId))
  return given.length === signed.length && timingSafeEqual(given, signed) ? rowId : null
}

/**
 * The WhatsApp ids a number may come back as in `recipient_id`: its digits, and the forms Meta
 * rewrites some numbers to (Mexico's mobiles gain a 1 after 52; older Brazilian ids lack the ninth digit).
 */
function whatsAppIdsOf(phone: string): string[] {
  const digits = phone.replace(/\D/g, '')
  const ids = [digits]
  if (/^52\d{10}$/.test(digits)) ids.push(`521${digits.slice(2)}`)
  if (/^521\d{10}$/.test(digits)) ids.push(`52${digits.slice(3)}`)
  if (/^55\d{2}9\d{8}$/.test(digits)) ids.push(digits.slice(0, 4) + digits.slice(5))
  if (/^55\d{10}$/.test(digits)) ids.push(`${digits.slice(0, 4)}9${digits.slice(4)}`)
  return ids
}

/** What a row knows of where its message went. */
export interface RowAddress {
  /** The sender: the phone number id of the campaign's account; null when that account is gone. */
  phoneNumberId: string | null
  /** E.164, as sent. */
  phone: string
  /** The WhatsApp id Meta answered with, when it answered. */
  waId: string | null
}

/** What a status says about where its message went. */
export interface StatusAddress {
  phoneNumberId?: string | null
  recipientWaId?: string | null
}

/** A status correlated by callback data applies only if it names the row's sender and recipient. */
export function isAddressedTo(row: RowAddress, status: StatusAddress): boolean {
  if (!row.phoneNumberId || status.phoneNumberId !== row.phoneNumberId || !status.recipientWaId) return false
  const recipient = status.recipientWaId.replace(/\D/g, '')
  return recipient === row.waId || whatsAppIdsOf(row.phone).includes(recipient)
}

/**
 * A status matched by wamid is refused when it names another sender than the row's: whatever message
 * it is about, it was not sent from this row's number. Without a sender on either side, the wamid decides.
 */
export function isFromAnotherSender(row: RowAddress, status: StatusAddress): boolean {
  return Boolean(status.phoneNumberId && row.phoneNumberId && status.phoneNumberId !== row.phoneNumberId)
}
