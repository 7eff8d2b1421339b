// A rate card market's name in the UI's language: the country's own name, or the region's.

import type { TFunction } from 'i18next'
import { countryOfMarket } from '../../../../shared/rateCard'

export function marketName(market: string, lang: string, t: TFunction): string {
  const country = countryOfMarket(market)
  if (country) {
    try {
      return new Intl.DisplayNames([lang], { type: 'region' }).of(country) ?? country
    } catch {
      return country
    }
  }
  return t(`preflight.market.${market}`, { defaultValue: market.replace(/_/g, ' ') })
}
