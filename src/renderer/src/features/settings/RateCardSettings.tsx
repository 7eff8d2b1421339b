// Settings → Meta's prices: the dated rate card the review's cost estimate uses, editable when Meta changes it.

import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { marketName } from '../review/marketName'
import type { Settings } from '../../../../shared/contract'
import { SHIPPED_RATE_CARD, type MarketRates, type RateCard } from '../../../../shared/rateCard'

const CATEGORIES: (keyof MarketRates)[] = ['marketing', 'utility', 'authentication']

type Draft = { effective: string; markets: Record<string, Record<keyof MarketRates, string>> }

function draftOf(card: RateCard): Draft {
  const markets: Draft['markets'] = {}
  for (const [market, rates] of Object.entries(card.markets)) {
    markets[market] = { marketing: String(rates.marketing), utility: String(rates.utility), authentication: String(rates.authentication) }
  }
  return { effective: card.effective, markets }
}

/** The draft as a rate card, or null when a price is not a number (a comma is taken as the decimal mark). */
function cardOf(draft: Draft): RateCard | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(draft.effective)) return null
  const markets: RateCard['markets'] = {}
  for (const [market, texts] of Object.entries(draft.markets)) {
    const written = CATEGORIES.map((c) => texts[c].trim().replace(',', '.'))
    if (written.some((text) => text === '' || !(Number(text) >= 0))) return null
    const rates = written.map(Number)
    markets[market] = { marketing: rates[0], utility: rates[1], authentication: rates[2] }
  }
  return { effective: draft.effective, currency: 'USD', markets }
}


export function RateCardSettings({ settings, save }: { settings: Settings; save(change: { rateCard: RateCard | null }): Promise<void> }) {
  const { t, i18n } = useTranslation()
  const [draft, setDraft] = useState<Draft>(() => draftOf(settings.rateCard ?? SHIPPED_RATE_CARD))
  const [invalid, setInvalid] = useState(false)

  function set(market: string, category: keyof MarketRates, value: string) {
    setDraft({ ...draft, markets: { ...draft.markets, [market]: { ...draft.markets[market], [category]: value } } })
    setInvalid(false)
  }

  async function submit() {
    const card = cardOf(draft)
    if (!card) return setInvalid(true)
    await save({ rateCard: card })
  }

  async function reset() {
    setDraft(draftOf(SHIPPED_RATE_CARD))
    setInvalid(false)
    await save({ rateCard: null })
  }

  return (
    <section aria-labelledby="rate-card-title" data-testid="rate-card">
      <h2 id="rate-card-title">{t('preflight.rateCard.title')}</h2>
      <p className="muted">{t('preflight.rateCard.lead')}</p>
      <p className="muted small">{settings.rateCardEdited ? t('preflight.rateCard.edited') : t('preflight.rateCard.shipped')}</p>
      <label>
        {t('preflight.rateCard.effective')}
        <input type="date" data-testid="rate-card-date" value={draft.effective} onChange={(e) => setDraft({ ...draft, effective: e.target.value })} />
      </label>
      <div className="table-scroll table-scroll--short">
        <table className="table">
          <thead>
            <tr>
              <th scope="col">{t('preflight.rateCard.market')}</th>
              {CATEGORIES.map((c) => (
                <th key={c} scope="col">
                  {t(`preflight.rateCard.${c}`)}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {Object.entries(draft.markets).map(([market, texts]) => (
              <tr key={market}>
                <th scope="row">{marketName(market, i18n.language, t)}</th>
                {CATEGORIES.map((c) => (
                  <td key={c}>
                    <input
                      type="text"
                      inputMode="decimal"
                      size={7}
                      aria-label={`${marketName(market, i18n.language, t)} · ${t(`preflight.rateCard.${c}`)}`}
                      data-testid={`rate-${market}-${c}`}
                      value={texts[c]}
                      onChange={(e) => set(market, c, e.target.value)}
                    />
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {invalid && (
        <p className="alert alert--error" role="alert" data-testid="rate-card-invalid">
          {t('preflight.rateCard.invalid')}
        </p>
      )}
      <div className="controls">
        <button type="button" className="button button--primary" data-testid="rate-card-save" onClick={() => void submit()}>
          {t('preflight.rateCard.save')}
        </button>
        <button type="button" className="button" data-testid="rate-card-reset" disabled={!settings.rateCardEdited} onClick={() => void reset()}>
          {t('preflight.rateCard.reset')}
        </button>
      </div>
    </section>
  )
}
