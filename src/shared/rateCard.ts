// What Meta charges per delivered template message, by the recipient's market and the template's category:
// the dated rate card shipped with Pregón (a user may replace it in Settings) and the lookup a cost estimate uses.
//
// Source: Meta, "Pricing on the WhatsApp Business Platform" (developers.facebook.com/docs/whatsapp/pricing),
// per-message rate card in USD effective 2025-07-01, as transcribed country by country at
// docs.sent.dm/docs/guides/whatsapp-pricing. Checked against that transcription on 2026-12-03: Colombia,
// Argentina and every regional row (Rest of Latin America, Rest of Western / Central & Eastern Europe, Rest of
// Africa, Rest of Asia Pacific, Other). The other named markets were not re-checked here.
// Meta revises rates quarterly (e.g. Colombia utility and Mexico marketing on 2025-10-01, North America utility
// on 2026-01-01) and volume tiers lower utility/authentication: the UI shows this card's date and lets the
// user enter newer rates. An estimate of Meta's fee, not an invoice.

import { assertNever } from './assertNever'

export type TemplateCategory = 'MARKETING' | 'UTILITY' | 'AUTHENTICATION'

export interface MarketRates {
  marketing: number
  utility: number
  authentication: number
}

export interface RateCard {
  /** The day these rates took effect (YYYY-MM-DD), shown next to every estimate. */
  effective: string
  currency: 'USD'
  /** Per market: Meta groups most countries into regions ("Rest of Latin America"). */
  markets: Record<string, MarketRates>
}

/** Which market a country (ISO 3166 alpha-2) is billed as; countries not named fall to their region or `other`. */
const MARKET_OF: Record<string, string> = {
  AR: 'argentina', BR: 'brazil', CL: 'chile', CO: 'colombia', EG: 'egypt', FR: 'france', DE: 'germany',
  IN: 'india', ID: 'indonesia', IL: 'israel', IT: 'italy', MY: 'malaysia', MX: 'mexico', NL: 'netherlands',
  NG: 'nigeria', PK: 'pakistan', PE: 'peru', RU: 'russia', SA: 'saudi_arabia', ZA: 'south_africa', ES: 'spain',
  TR: 'turkey', AE: 'united_arab_emirates', GB: 'united_kingdom', US: 'north_america', CA: 'north_america',
}

const REGION_OF: Record<string, string[]> = {
  rest_of_latin_america: ['BO', 'CR', 'DO', 'EC', 'SV', 'GT', 'HT', 'HN', 'JM', 'NI', 'PA', 'PY', 'PR', 'UY', 'VE', 'AI', 'AG', 'AW', 'BS', 'BB', 'BZ', 'KY', 'CU', 'DM', 'GD', 'GY', 'KN', 'LC', 'VC', 'SR', 'TT'],
  rest_of_western_europe: ['AD', 'AT', 'BE', 'CY', 'DK', 'FI', 'GR', 'IS', 'IE', 'LI', 'LU', 'MT', 'MC', 'NO', 'PT', 'SM', 'SE', 'CH'],
  rest_of_central_eastern_europe: ['AL', 'AM', 'AZ', 'BY', 'BA', 'BG', 'HR', 'CZ', 'EE', 'GE', 'HU', 'LV', 'LT', 'MD', 'ME', 'MK', 'PL', 'RO', 'RS', 'SK', 'SI', 'UA'],
  rest_of_africa: ['DZ', 'AO', 'BJ', 'BW', 'BF', 'BI', 'CM', 'CV', 'CF', 'TD', 'CG', 'CD', 'CI', 'DJ', 'GQ', 'ER', 'ET', 'GA', 'GM', 'GH', 'GN', 'GW', 'KE', 'LS', 'LR', 'LY', 'MG', 'MW', 'ML', 'MR', 'MA', 'MZ', 'NA', 'NE', 'RW', 'SN', 'SL', 'SO', 'SS', 'SD', 'SZ', 'TZ', 'TG', 'TN', 'UG', 'ZM', 'ZW'],
  rest_of_asia_pacific: ['AF', 'AU', 'BD', 'BT', 'BN', 'KH', 'CN', 'FJ', 'HK', 'JP', 'LA', 'MO', 'MV', 'MN', 'MM', 'NP', 'NZ', 'PG', 'PH', 'SG', 'LK', 'TW', 'TJ', 'TH', 'TM', 'UZ', 'VN', 'KR'],
}

/** Meta's per-message rates in USD, effective 2025-07-01 (see the header for the source). */
export const SHIPPED_RATE_CARD: RateCard = {
  effective: '2025-07-01',
  currency: 'USD',
  markets: {
    argentina: { marketing: 0.0618, utility: 0.0289, authentication: 0.0289 },
    brazil: { marketing: 0.0625, utility: 0.0068, authentication: 0.0068 },
    chile: { marketing: 0.0889, utility: 0.02, authentication: 0.02 },
    colombia: { marketing: 0.0125, utility: 0.0008, authentication: 0.0008 },
    egypt: { marketing: 0.1073, utility: 0.0036, authentication: 0.0036 },
    france: { marketing: 0.1432, utility: 0.03, authentication: 0.03 },
    germany: { marketing: 0.1365, utility: 0.055, authentication: 0.055 },
    india: { marketing: 0.0118, utility: 0.0014, authentication: 0.0014 },
    indonesia: { marketing: 0.0411, utility: 0.025, authentication: 0.025 },
    israel: { marketing: 0.0353, utility: 0.0053, authentication: 0.0053 },
    italy: { marketing: 0.0691, utility: 0.03, authentication: 0.03 },
    malaysia: { marketing: 0.086, utility: 0.014, authentication: 0.014 },
    mexico: { marketing: 0.0305, utility: 0.0085, authentication: 0.0085 },
    netherlands: { marketing: 0.1597, utility: 0.05, authentication: 0.05 },
    nigeria: { marketing: 0.0516, utility: 0.0067, authentication: 0.0067 },
    pakistan: { marketing: 0.0473, utility: 0.0054, authentication: 0.0054 },
    peru: { marketing: 0.0703, utility: 0.02, authentication: 0.02 },
    russia: { marketing: 0.0802, utility: 0.04, authentication: 0.04 },
    saudi_arabia: { marketing: 0.0455, utility: 0.0107, authentication: 0.0107 },
    south_africa: { marketing: 0.0379, utility: 0.0076, authentication: 0.0076 },
    spain: { marketing: 0.0615, utility: 0.02, authentication: 0.02 },
    turkey: { marketing: 0.0109, utility: 0.0053, authentication: 0.0053 },
    united_arab_emirates: { marketing: 0.0384, utility: 0.0157, authentication: 0.0157 },
    united_kingdom: { marketing: 0.0529, utility: 0.022, authentication: 0.022 },
    north_america: { marketing: 0.025, utility: 0.0034, authentication: 0.0034 },
    rest_of_latin_america: { marketing: 0.074, utility: 0.0113, authentication: 0.0113 },
    rest_of_western_europe: { marketing: 0.0592, utility: 0.0171, authentication: 0.0171 },
    rest_of_central_eastern_europe: { marketing: 0.086, utility: 0.0212, authentication: 0.0212 },
    rest_of_africa: { marketing: 0.0225, utility: 0.004, authentication: 0.004 },
    rest_of_asia_pacific: { marketing: 0.0732, utility: 0.0113, authentication: 0.0113 },
    other: { marketing: 0.0604, utility: 0.0077, authentication: 0.0077 },
  },
}

/** The market a country is billed as (`other` when Meta names it nowhere). */
export function marketOf(country: string | null | undefined): string {
  const code = (country ?? '').toUpperCase()
  if (MARKET_OF[code]) return MARKET_OF[code]
  for (const [region, countries] of Object.entries(REGION_OF)) if (countries.includes(code)) return region
  return 'other'
}

/** USD per delivered message; a market missing from an edited card falls back to its `other` row. */
export function rateFor(card: RateCard, country: string | null | undefined, category: TemplateCategory): number {
  const rates = card.markets[marketOf(country)] ?? card.markets.other ?? SHIPPED_RATE_CARD.markets.other
  switch (category) {
    case 'MARKETING':
      return rates.marketing
    case 'UTILITY':
      return rates.utility
    case 'AUTHENTICATION':
      return rates.authentication
    default:
      return assertNever(category, 'template category')
  }
}

/** The one country a named market bills (ISO alpha-2), for its name in the UI's language; null for regions. */
export function countryOfMarket(market: string): string | null {
  const countries = Object.keys(MARKET_OF).filter((code) => MARKET_OF[code] === market)
  return countries.length === 1 ? countries[0] : null
}
