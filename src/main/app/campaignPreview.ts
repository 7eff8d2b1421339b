// What the review shows before a campaign exists, from the same audience `campaigns.create` would store:
// how many will receive it, who is skipped and why, the message one real recipient gets, and Meta's price.

import type { CampaignCost, CampaignPreview } from '../../shared/contract'
import type { SeedContact, TemplateSpec } from '../../shared/types'
import { AppError } from '../../shared/errors'
import { rateFor, marketOf, type RateCard } from '../../shared/rateCard'
import { countryOfE164 } from '../contacts/phone'
import { buildTemplatePayload } from '../whatsapp/templatePayload'
import type { NewRecipient } from '../store/ports'
import type { Audience } from './campaignAudience'

const PLACEHOLDER = /\{\{\s*([^{}]+?)\s*\}\}/g

/** The body as the recipient reads it: `{{1}}` / `{{first_name}}` replaced by the values sent for them. */
function bodyFor(spec: TemplateSpec, row: NewRecipient): string | null {
  const built = buildTemplatePayload(spec, { phone: row.phone, name: row.name ?? null, variables: row.variables ?? {} })
  if (!built.ok || spec.bodyText === undefined) return null
  const body = (built.payload.components ?? []).find((c) => (c as { type?: string }).type === 'body') as
    | { parameters: { text: string; parameter_name?: string }[] }
    | undefined
  const values = body?.parameters ?? []
  return spec.bodyText.replace(PLACEHOLDER, (whole, key: string) => {
    const named = values.find((v) => v.parameter_name === key)
    if (named) return named.text
    const position = Number(key)
    return Number.isInteger(position) && values[position - 1] ? values[position - 1].text : whole
  })
}

/** Meta's price of the messages that will be sent, counted by market as rows go by (the list is never kept). */
class CostTally {
  private readonly byMarket = new Map<string, { market: string; count: number; rate: number }>()
  // The country follows from the calling code and the first digits after it; parsing 100,000 numbers is not needed.
  private readonly countryByPrefix = new Map<string, string | null>()

  constructor(
    private readonly category: TemplateSpec['category'],
    private readonly card: RateCard,
  ) {}

  add(row: NewRecipient): void {
    if (!this.category) return
    const prefix = row.phone.slice(0, 8)
    let country = this.countryByPrefix.get(prefix)
    if (country === undefined) {
      country = countryOfE164(row.phone)
      this.countryByPrefix.set(prefix, country)
    }
    const market = marketOf(country)
    const entry = this.byMarket.get(market) ?? { market, count: 0, rate: rateFor(this.card, country, this.category) }
    entry.count++
    this.byMarket.set(market, entry)
  }

  /** Null when the template's category is unknown. */
  result(): CampaignCost | null {
    if (!this.category) return null
    const markets = [...this.byMarket.values()].sort((a, b) => b.count - a.count)
    const total = markets.reduce((sum, m) => sum + m.count * m.rate, 0)
    return { currency: this.card.currency, category: this.category, effective: this.card.effective, total: Math.round(total * 100) / 100, markets }
  }
}

/**
 * Runs the contacts through the audience `campaigns.create` would use, batch by batch, storing nothing:
 * the counts, one real message and the price, plus the refusal create would answer with (null: it would create).
 */
export async function previewAudience(
  spec: TemplateSpec,
  makeAudience: () => Audience,
  contacts: AsyncIterable<readonly SeedContact[]>,
  card: RateCard,
): Promise<CampaignPreview> {
  let audience: Audience
  try {
    audience = makeAudience()
  } catch (error) {
    // A template the request cannot fill (wrong parameter count) is refused before any row is read.
    if (error instanceof AppError) return { contacts: 0, willSend: 0, skipped: {}, sample: null, cost: null, refusal: refusalOf(error) }
    throw error
  }
  const cost = new CostTally(spec.category, card)
  let willSend = 0
  let first: NewRecipient | null = null
  for await (const batch of contacts) {
    for (const row of await audience.add(batch)) {
      if (row.skipReason) continue
      willSend++
      first ??= row
      cost.add(row)
    }
  }
  let refusal: CampaignPreview['refusal'] = null
  try {
    audience.finish()
  } catch (error) {
    if (!(error instanceof AppError)) throw error
    refusal = refusalOf(error)
  }
  const body = first ? bodyFor(spec, first) : null
  return {
    contacts: audience.total,
    willSend,
    skipped: { ...audience.skipped },
    sample: first && body !== null ? { phone: first.phone, name: first.name ?? null, body } : null,
    cost: cost.result(),
    refusal,
  }
}

function refusalOf(error: AppError): NonNullable<CampaignPreview['refusal']> {
  return { message: error.message, details: (error.details as Record<string, unknown> | undefined) ?? null }
}
