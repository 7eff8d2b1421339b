// campaigns.preview's arithmetic: the same audience campaigns.create stores, US numbers skipped for marketing,
// the message one recipient reads, and Meta's price by market under a dated rate card.

import { mkdtempSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { randomBytes } from 'node:crypto'
import { afterEach, describe, expect, it } from 'vitest'
import { Audience } from '../../../src/main/app/campaignAudience'
import { previewAudience } from '../../../src/main/app/campaignPreview'
import { inBatches } from '../../../src/main/app/createCampaign'
import { openSqliteStore } from '../../../src/main/store/sqlite'
import { createSecretBox } from '../../../src/main/store/secrets'
import type { Store } from '../../../src/main/store/ports'
import { SHIPPED_RATE_CARD, marketOf, rateFor } from '../../../src/shared/rateCard'
import type { Account, SeedContact, TemplateSpec } from '../../../src/shared/types'

let store: Store
afterEach(async () => store?.close())

async function account() {
  store = openSqliteStore({ dataDir: mkdtempSync(path.join(os.tmpdir(), 'pregon-prev-')), secrets: createSecretBox(randomBytes(32)) })
  const user = await store.users.ensureLocal()
  return store.accounts.create({ userId: user.id, label: 'Tienda', phoneNumberId: '111111', wabaId: '222222', accessToken: 'tok-1234', defaultCountry: 'CO' })
}

/** The preview of these contacts, read two at a time as an import would be. */
const preview = (acc: Account, spec: TemplateSpec, contacts: SeedContact[]) =>
  previewAudience(spec, () => new Audience(store, acc, spec), inBatches(contacts, 2), SHIPPED_RATE_CARD)

const promo: TemplateSpec = {
  name: 'promo_verano',
  language: 'es',
  category: 'MARKETING',
  bodyText: 'Hola {{1}}, tenemos {{2}} para ti.',
  expectedBodyParams: 2,
  bodyParams: [{ type: 'text', text: '{{Nombre}}' }, { type: 'text', text: '{{Oferta}}' }],
}

describe('the preview of a campaign', () => {
  it('skips US numbers for a marketing template, reads the first real message, and prices the rest by market', async () => {
    const acc = await account()
    await store.suppressions.add({ accountId: acc.id, phone: '+573001110004', reason: 'STOP', source: 'keyword' })
    const contacts = [
      { numero: '+1 646 201 9911', Nombre: 'Ann', Oferta: '10%' },
      { numero: '3001110001', Nombre: 'Ana', Oferta: '20%' },
      { numero: '3001110002', Nombre: 'Luis' },
      { numero: '3001110004', Nombre: 'Eva', Oferta: '5%' },
      { numero: '+52 1 55 1234 5678', Nombre: 'Paco', Oferta: '15%' },
    ]
    const shown = await preview(acc, promo, contacts)
    expect(shown.refusal).toBeNull()
    expect(shown).toMatchObject({ contacts: 5, willSend: 2, skipped: { marketing_us: 1, missing_variable: 1, opted_out: 1 } })
    expect(shown.sample).toEqual({ phone: '+573001110001', name: 'Ana', body: 'Hola Ana, tenemos 20% para ti.' })
    expect(shown.cost).toEqual({
      currency: 'USD',
      category: 'MARKETING',
      effective: '2025-07-01',
      total: 0.04,
      markets: [
        { market: 'colombia', count: 1, rate: 0.0125 },
        { market: 'mexico', count: 1, rate: 0.0305 },
      ],
    })
    // A utility template reaches the US number, at North America's utility rate.
    expect((await preview(acc, { ...promo, category: 'UTILITY' }, contacts)).willSend).toBe(3)
  })

  it('gives the refusal campaigns.create would answer, naming the column no contact has, with the counts', async () => {
    const acc = await account()
    const spec: TemplateSpec = { ...promo, bodyParams: [{ type: 'text', text: '{{Cliente}}' }, { type: 'text', text: '{{Oferta}}' }] }
    const shown = await preview(acc, spec, [
      { numero: '3001110001', Nombre: 'Ana', Oferta: '20%' },
      { numero: '3001110002', Nombre: 'Luis', Oferta: '5%' },
    ])
    expect(shown.refusal?.details).toMatchObject({ column: 'Cliente' })
    expect(shown).toMatchObject({ contacts: 2, willSend: 0, skipped: { missing_variable: 2 }, sample: null })
  })

  it('bills a country by its market, its region, or "other", and an edited card without a market by its "other" row', () => {
    expect([marketOf('CO'), marketOf('US'), marketOf('CA'), marketOf('EC'), marketOf('PT'), marketOf('KE'), marketOf('AQ'), marketOf(null)]).toEqual([
      'colombia', 'north_america', 'north_america', 'rest_of_latin_america', 'rest_of_western_europe', 'rest_of_africa', 'other', 'other',
    ])
    expect(rateFor(SHIPPED_RATE_CARD, 'EC', 'UTILITY')).toBe(0.0113)
    const edited = { effective: '2026-01-01', currency: 'USD' as const, markets: { other: { marketing: 0.05, utility: 0.01, authentication: 0.01 } } }
    expect(rateFor(edited, 'CO', 'MARKETING')).toBe(0.05)
  })
})
