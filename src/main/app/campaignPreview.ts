// What the review shows before a campaign exists, from the same audience `campaigns.create` would store:
// how many will receive it, who is skipped and why, the message one real recipient gets, and Meta's price.

import type { CampaignCost, CampaignPreview } from '../../shared/contract'
import type { TemplateSpec } from '../../shared/types'
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

/** Meta's price of the messages that will be sent, by market; null when the template's category is unknown. */
function costOf(spec: TemplateSpec, sending: NewRecipient[], card: RateCard): CampaignCost | null {
  const category = spec.category
  if (!category) return null
  const byMarket = new Map<string, { market: string; count: number; rate: number }>()
  // The country follows from the calling code and the first digits after it; parsing 100,000 numbers is not needed.
  const countryByPrefix = new Map<string, string | null>()
  for (const row of sending) {
    const prefix = row.phone.slice(0, 8)
    let country = countryByPrefix.get(prefix)
    if (country === undefined) {
      country = countryOfE164(row.phone)
      countryByPrefix.set(prefix, country)
    }
    const market = marketOf(country)
    const entry = byMarket.get(market) ?? { market, count: 0, rate: rateFor(card, country, category) }
    entry.count++
    byMarket.set(market, entry)
  }
  const markets = [...byMarket.values()].sort((a, b) => b.count - a.count)
  const total = markets.reduce((sum, m) => sum + m.count * m.rate, 0)
  return { currency: card.currency, category, effective: card.effective, total: Math.round(total * 100) / 100, markets }
}

export function describeAudience(spec: TemplateSpec, audience: Audience, card: RateCard): Omit<CampaignPreview, 'refusal'> {
  const sending = audience.recipients.filter((row) => !row.skipReason)
  const first = sending[0]
  const body = first ? bodyFor(spec, first) : null
  return {
    contacts: audience.recipients.length,
    willSend: sending.length,
    skipped: audience.skipped,
    sample: first && body !== null ? { phone: first.phone, name: first.name ?? null, body } : null,
    cost: costOf(spec, sending, card),
  }
}
