// Turns a campaign's contacts (the seed's shape), batch after batch, into ledger rows: numbers
// normalised to E.164, and duplicates, opted-out numbers, invalid numbers and contacts missing a
// template variable stored as `skipped` with their reason — so the counts add up to the list the user
// gave. Only the numbers seen so far are remembered (PhoneMap), never the list.

import type { Account, SeedContact, TemplateSpec } from '../../shared/types'
import { AppError } from '../../shared/errors'
import type { NewRecipient, Store } from '../store/ports'
import { normalizePhone } from '../contacts/phone'
import { PhoneMap, phoneKey } from '../contacts/phoneMap'
import { buildTemplatePayload, fieldReferences, lookupField, type PayloadContact } from '../whatsapp/templatePayload'

const NAME_FIELDS = ['Nombre', 'nombre', 'name', 'Name', 'NOMBRE']
/** The columns named when a `{{Column}}` matches none come from the first contacts. */
const COLUMN_SAMPLE = 100

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

/** A parameter count that differs from the approved template's would skip every row: refused at once. */
function checkParameterCount(spec: TemplateSpec): void {
  const given = spec.bodyParams?.length ?? 0
  if (spec.expectedBodyParams !== undefined && given !== spec.expectedBodyParams) {
    throw new AppError(
      'invalid_args',
      `template.bodyParams: "${spec.name}" has ${spec.expectedBodyParams} body parameters and the request fills ${given}; give one value for each.`,
      { field: 'template.bodyParams', expected: spec.expectedBodyParams, given },
    )
  }
}

export class Audience {
  /** Rows given so far, skipped ones included. */
  total = 0
  readonly skipped: Record<string, number> = {}
  private readonly seen = new PhoneMap()
  /** `{{Column}}`s no contact has filled yet. */
  private readonly unfilled: { field: string; where: string }[]
  private readonly columns = new Set<string>()

  /** Refuses, before anything is read, a template whose parameter count is wrong. */
  constructor(
    private readonly store: Store,
    private readonly account: Account,
    private readonly spec: TemplateSpec,
  ) {
    checkParameterCount(spec)
    this.unfilled = fieldReferences(spec)
  }

  /** The rows for the next contacts of the list, in order. */
  async add(contacts: readonly SeedContact[]): Promise<NewRecipient[]> {
    const rows = contacts.map((contact) => this.rowOf(contact))
    const phones = rows.filter((row) => !row.skipReason).map((row) => row.phone)
    const suppressed = phones.length ? await this.store.suppressions.filter(this.account.id, phones) : new Set<string>()
    for (const row of rows) {
      if (!row.skipReason && suppressed.has(row.phone)) {
        row.skipReason = 'opted_out'
        row.skipDetail = 'This number asked not to receive messages'
      }
      if (row.skipReason) this.skipped[row.skipReason] = (this.skipped[row.skipReason] ?? 0) + 1
    }
    return rows
  }

  /**
   * After the last batch: refuses an empty list, a `{{Column}}` that not one contact has (a mistake in
   * the request, named so it can be fixed), and a list where every row is skipped.
   */
  finish(): void {
    if (this.total === 0) throw new AppError('invalid_args', 'contacts: the list is empty', { field: 'contacts' })
    const missing = this.unfilled[0]
    if (missing) {
      throw new AppError(
        'invalid_args',
        `${missing.where}: no contact has a value for {{${missing.field}}}. Columns in the list: ${[...this.columns].join(', ') || 'none'}.`,
        { field: missing.where, column: missing.field },
      )
    }
    const skipped = Object.values(this.skipped).reduce((a, b) => a + b, 0)
    if (skipped < this.total) return
    const reasons = Object.entries(this.skipped).map(([reason, count]) => `${count} ${reason}`)
    throw new AppError(
      'invalid_args',
      `contacts: none of the ${this.total} contacts can receive this campaign (${reasons.join(', ')}); fix the list or the mapping.`,
      { field: 'contacts', skipped: this.skipped },
    )
  }

  private rowOf(contact: SeedContact): NewRecipient {
    const person = payloadContactOf(contact)
    const { variables, name } = person
    this.noteColumns(person)
    this.total++
    const normalized = normalizePhone(contact.numero, this.account.defaultCountry)
    if (!normalized.ok) return { phone: String(contact.numero), name, variables, skipReason: 'invalid_number', skipDetail: normalized.message }
    const phone = normalized.e164
    if (this.seen.setIfAbsent(phoneKey(phone), this.total) !== undefined) {
      return { phone, name, variables, skipReason: 'duplicate', skipDetail: 'Same number earlier in the list' }
    }
    const payload = buildTemplatePayload(this.spec, { phone, name, variables })
    if (!payload.ok) return { phone, name, variables, skipReason: payload.reason, skipDetail: payload.detail }
    return { phone, name, variables }
  }

  private noteColumns(person: PayloadContact): void {
    if (this.total < COLUMN_SAMPLE) for (const column of Object.keys(person.variables)) this.columns.add(column)
    for (let i = this.unfilled.length - 1; i >= 0; i--) {
      if ((lookupField(this.unfilled[i].field, person) ?? '').trim() !== '') this.unfilled.splice(i, 1)
    }
  }
}
