// Turns a campaign's contacts (the seed's shape) into ledger rows: numbers normalised to E.164, and
// duplicates, opted-out numbers, invalid numbers and contacts missing a template variable stored as
// `skipped` with their reason — so the counts add up to the list the user gave.

import type { Account, SeedContact, TemplateSpec } from '../../shared/types'
import type { NewRecipient, Store } from '../store/ports'
import { normalizePhone } from '../contacts/phone'
import { buildTemplatePayload } from '../whatsapp/templatePayload'

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

export async function buildAudience(store: Store, account: Account, spec: TemplateSpec, contacts: SeedContact[]): Promise<Audience> {
  const recipients: NewRecipient[] = []
  const seen = new Set<string>()
  for (const contact of contacts) {
    const variables = variablesOf(contact)
    const nameField = NAME_FIELDS.find((f) => variables[f])
    const name = nameField ? variables[nameField] : null
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
