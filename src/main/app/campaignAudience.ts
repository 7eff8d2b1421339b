// Turns a campaign's contacts (the seed's shape) into ledger rows: numbers normalised to E.164, and
// duplicates, opted-out numbers, invalid numbers and contacts missing a template variable stored as
// `skipped` with their reason — so the counts add up to the list the user gave. US numbers are skipped for
// marketing templates: Meta stopped delivering marketing templates to them in April 2025.

import type { Account, SeedContact, TemplateSpec } from '../../shared/types'
import { AppError } from '../../shared/errors'
import type { NewRecipient, Store } from '../store/ports'
import { countryOfE164, normalizePhone } from '../contacts/phone'
import { buildTemplatePayload, fieldReferences, lookupField, type PayloadContact } from '../whatsapp/templatePayload'

const NAME_FIELDS = ['Nombre', 'nombre', 'name', 'Name', 'NOMBRE']

export interface Audience {
  recipients: NewRecipient[]
  skipped: Record<string, number>
}

function variablesOf(contact: SeedContact): Record<string, string> {
  const variables: Record<string, string> = {}
  for (const [key, value] of Object.entries(contact)) {
    if (key === 'numero' || value === null || value === undefined) continue
    variables[key] = String(value)
  }
  return variables
}

function payloadContactOf(contact: SeedContact): PayloadContact {
  const variables = variablesOf(contact)
  const nameField = NAME_FIELDS.find((f) => variables[f])
  return { phone: String(contact.numero), name: nameField ? variables[nameField] : null, variables }
}

/**
 * Refuses, before anything is stored, a campaign whose template cannot fit any contact: a parameter
 * count that differs from the approved template's, or a `{{Column}}` that not one contact has. Either
 * would skip every row; it is a mistake in the request, named so it can be fixed.
 */
export function checkTemplateFits(spec: TemplateSpec, contacts: SeedContact[]): void {
  const given = spec.bodyParams?.length ?? 0
  if (spec.expectedBodyParams !== undefined && given !== spec.expectedBodyParams) {
    throw new AppError(
      'invalid_args',
      `template.bodyParams: "${spec.name}" has ${spec.expectedBodyParams} body parameters and the request fills ${given}; give one value for each.`,
      { field: 'template.bodyParams', expected: spec.expectedBodyParams, given },
    )
  }
  const people = contacts.map(payloadContactOf)
  for (const { field, where } of fieldReferences(spec)) {
    if (people.some((person) => (lookupField(field, person) ?? '').trim() !== '')) continue
    const columns = [...new Set(people.slice(0, 100).flatMap((person) => Object.keys(person.variables)))]
    throw new AppError(
      'invalid_args',
      `${where}: no contact has a value for {{${field}}}. Columns in the list: ${columns.join(', ') || 'none'}.`,
      { field: where, column: field },
    )
  }
}

/** Every row would be skipped: nothing to create. */
export function checkSomeoneReceives(audience: Audience): void {
  if (audience.recipients.some((row) => !row.skipReason)) return
  const reasons = Object.entries(audience.skipped).map(([reason, count]) => `${count} ${reason}`)
  throw new AppError(
    'invalid_args',
    `contacts: none of the ${audience.recipients.length} contacts can receive this campaign (${reasons.join(', ')}); fix the list or the mapping.`,
    { field: 'contacts', skipped: audience.skipped },
  )
}

export async function buildAudience(store: Store, account: Account, spec: TemplateSpec, contacts: SeedContact[]): Promise<Audience> {
  const recipients: NewRecipient[] = []
  const seen = new Set<string>()
  for (const contact of contacts) {
    const { variables, name } = payloadContactOf(contact)
    const normalized = normalizePhone(contact.numero, account.defaultCountry)
    if (!normalized.ok) {
      recipients.push({ phone: String(contact.numero), name, variables, skipReason: 'invalid_number', skipDetail: normalized.message })
      continue
    }
    const phone = normalized.e164
    if (seen.has(phone)) {
      recipients.push({ phone, name, variables, skipReason: 'duplicate', skipDetail: 'Same number earlier in the list' })
      continue
    }
    seen.add(phone)
    const payload = buildTemplatePayload(spec, { phone, name, variables })
    if (!payload.ok) {
      recipients.push({ phone, name, variables, skipReason: payload.reason, skipDetail: payload.detail })
      continue
    }
    if (spec.category === 'MARKETING' && phone.startsWith('+1') && countryOfE164(phone) === 'US') {
      recipients.push({ phone, name, variables, skipReason: 'marketing_us', skipDetail: 'WhatsApp does not deliver marketing templates to US numbers' })
      continue
    }
    recipients.push({ phone, name, variables })
  }

  const suppressed = await store.suppressions.filter(account.id, [...seen])
  for (const row of recipients) {
    if (!row.skipReason && suppressed.has(row.phone)) {
      row.skipReason = 'opted_out'
      row.skipDetail = 'This number asked not to receive messages'
    }
  }
  const skipped: Record<string, number> = {}
  for (const row of recipients) if (row.skipReason) skipped[row.skipReason] = (skipped[row.skipReason] ?? 0) + 1
  return { recipients, skipped }
}

/**
 * The audience and the refusal `campaigns.create` would answer with (null when it would create): computed
 * once here so the review (campaigns.preview) and the creation can never disagree.
 */
export async function planAudience(
  store: Store,
  account: Account,
  spec: TemplateSpec,
  contacts: SeedContact[],
): Promise<{ audience: Audience; refusal: AppError | null }> {
  const audience = await buildAudience(store, account, spec, contacts)
  try {
    checkTemplateFits(spec, contacts)
    checkSomeoneReceives(audience)
    return { audience, refusal: null }
  } catch (error) {
    if (error instanceof AppError) return { audience, refusal: error }
    throw error
  }
}
