// Issue 11, points 1 and 5, in real Chromium against `pregon serve --demo`, in Spanish and in English: the
// 300-row list a Spanish Excel exports, a name column called "Cliente" (not "Nombre") that stays unticked,
// "Oferta" empty far below the preview, opted-out and US numbers, a paused template. The review must say
// exactly what campaigns.create then stores, add up to the file, show the real message and Meta's price,
// and the confirmation must name what it is about to do. Screenshots and axe results in tests/e2e/screenshots/.

import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { chromium, type Browser } from 'playwright-core'
import { normalizePhone } from '../../src/main/contacts/phone'
import { OPTED_OUT_ROWS, SHOP_EXPECTED, buildShopFixtures, phoneOfRow, type ShopFixtures } from '../fixtures/shop/build'
import { startDemoServe, type DemoServe } from './harness'
import { axe, blocking, openIn, rpc, shot, useDemoAccount, type Lang } from './preflightHelpers'

let serve: DemoServe
let browser: Browser
let fixtures: ShopFixtures
let dir: string

const E = SHOP_EXPECTED
const WORDS = {
  en: {
    sum: `${E.rows} rows in the file = ${E.willSend} will receive + ${E.duplicates + E.optedOut + E.marketingUs + E.missingVariable} skipped + ${E.rejected} rejected`,
    reasons: [`${E.duplicates} repeated numbers`, `${E.optedOut} asked not to receive`, `${E.marketingUs} US numbers (+1)`, `${E.missingVariable} have no value for a column`, `${E.rejected} rows with a wrong or missing number`],
    cost: `About US$ ${E.costUsd.toFixed(2)} charged by Meta (${E.willSend} marketing messages).`,
    date: 'July 1, 2025',
    dialog: `Send promo_verano to ${E.willSend} customers, about US$ ${E.costUsd.toFixed(2)}?`,
    paused: 'oferta_pausada · es · marketing · PAUSED: cannot be sent',
    rateTitle: 'Meta’s prices',
  },
  es: {
    sum: `${E.rows} filas en el archivo = ${E.willSend} lo recibirán + ${E.duplicates + E.optedOut + E.marketingUs + E.missingVariable} omitidos + ${E.rejected} rechazados`,
    reasons: [`${E.duplicates} números repetidos`, `${E.optedOut} pidieron no recibir`, `${E.marketingUs} números de EE. UU. (+1)`, `${E.missingVariable} no tienen valor en una columna`, `${E.rejected} filas con un número equivocado`],
    cost: `Unos US$ ${E.costUsd.toFixed(2).replace('.', ',')} que cobra Meta (${E.willSend} mensajes de marketing).`,
    date: '1 de julio de 2025',
    dialog: `¿Enviar promo_verano a ${E.willSend} clientes, por unos US$ ${E.costUsd.toFixed(2).replace('.', ',')}?`,
    paused: 'oferta_pausada · es · marketing · PAUSED: no se puede enviar',
    rateTitle: 'Precios de Meta',
  },
} as const

beforeAll(async () => {
  serve = await startDemoServe('pregon-e2e-review-')
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'],
  })
  dir = await mkdtemp(path.join(tmpdir(), 'pregon-e2e-shop-'))
  fixtures = await buildShopFixtures(dir)
  const demo = await rpc(serve, 'accounts.addDemo', undefined)
  for (const row of OPTED_OUT_ROWS) {
    const phone = normalizePhone(phoneOfRow(row), 'CO')
    if (!phone.ok) throw new Error(`row ${row} is not a phone`)
    await rpc(serve, 'suppressions.add', { accountId: demo.id, phone: phone.e164 })
  }
}, 120_000)

afterAll(async () => {
  await browser?.close()
  await serve?.stop()
  if (dir) await rm(dir, { recursive: true, force: true })
})

describe.each(['es', 'en'] as Lang[])('the review of a shop owner’s first campaign (%s)', (lang) => {
  it('checks every row against the final mapping, adds up to the file, shows the message and the cost, and creates exactly that', async () => {
    const words = WORDS[lang]
    const { context, page, consoleErrors } = await openIn(browser, lang)
    try {
      await page.goto(serve.demoUrl)
      await useDemoAccount(page)

      // The Spanish Excel export: `;`, Windows-1252, damage included.
      await page.getByTestId('file-input').setInputFiles(fixtures.csv)
      await page.getByTestId('import-summary').waitFor()
      const stat = (id: string) => page.locator(`[data-testid=${id}] .stat__value`).innerText()
      expect(await stat('summary-rows')).toBe(String(E.rows))
      expect(await stat('summary-valid')).toBe(String(E.valid))
      expect(await stat('summary-invalid')).toBe(String(E.rejected))
      expect(await stat('summary-duplicates')).toBe(String(E.duplicates))
      // "Cliente" is the name column, not a ticked variable — and the template step still offers it.
      expect(await page.getByTestId('name-column').inputValue()).toBe('Cliente')
      await page.getByTestId('contacts-next').click()

      // A paused template cannot be picked at all.
      const select = page.getByTestId('template-select')
      const paused = select.locator('option', { hasText: 'oferta_pausada' })
      await paused.waitFor({ state: 'attached' })
      expect(await paused.isDisabled()).toBe(true)
      expect((await paused.innerText()).trim()).toBe(words.paused)
      const promo = select.locator('option', { hasText: 'promo_verano' })
      await select.selectOption((await promo.getAttribute('value')) ?? '')
      await page.getByTestId('slot-source-body:1').selectOption('Cliente')
      await page.getByTestId('slot-source-body:2').selectOption('Oferta')
      await shot(page, `review-${lang}-1-template`)
      await page.getByTestId('template-next').click()

      // The review: the server checked all 284 contacts against this mapping.
      await page.getByTestId('review-sum').waitFor({ timeout: 30_000 })
      expect(await page.locator('[data-testid=review-recipients] .stat__value').innerText()).toBe(String(E.willSend))
      expect(await page.getByTestId('review-sum').innerText()).toBe(words.sum)
      const reasons = await page.getByTestId('review-skipped-reasons').innerText()
      for (const reason of words.reasons) expect(reasons).toContain(reason)
      expect(await page.getByTestId('review-bubble-body').innerText()).toBe(
        'Hola María Ibáñez, tenemos 15% de descuento para ti esta semana. ¡Te esperamos en la tienda!',
      )
      expect(await page.getByTestId('review-cost-amount').innerText()).toBe(words.cost)
      expect(await page.getByTestId('review-cost-date').innerText()).toContain(words.date)
      await page.getByTestId('pacing').locator('input[value=standard]').check()
      await page.getByTestId('campaign-name').fill(`Primera campaña ${lang}`)
      await shot(page, `review-${lang}-2-review`)
      const reviewAxe = await axe(page, `review-${lang}-2-review`)
      expect(blocking(reviewAxe)).toEqual([])

      // The confirmation names what it is about to do.
      await page.getByTestId('start-campaign').click()
      const title = page.getByTestId('dialog-title')
      await title.waitFor()
      expect(await title.innerText()).toBe(words.dialog)
      await shot(page, `review-${lang}-3-dialog`)
      expect(blocking(await axe(page, `review-${lang}-3-dialog`))).toEqual([])
      await page.getByTestId('dialog-ok').click()

      // And campaigns.create stored exactly what the review said.
      await page.getByTestId('campaign-detail').waitFor()
      const created = (await rpc(serve, 'campaigns.list', {})).find((c) => c.campaignName === `Primera campaña ${lang}`)
      expect(created).toBeDefined()
      expect(created?.contactsCount).toBe(E.valid)
      expect(created?.skippedCount).toBe(E.optedOut + E.marketingUs + E.missingVariable)
      await page.waitForFunction(() => document.querySelector('[data-testid=campaign-detail]')?.getAttribute('data-status') === 'completed', undefined, { timeout: 60_000 })
      const done = await rpc(serve, 'campaigns.get', { id: created?.id ?? '' })
      expect(done.successCount).toBe(E.willSend)
      const counts = (await rpc(serve, 'campaigns.recipients', { id: done.id, limit: 1 })).counts
      expect(counts.skipped).toBe(E.optedOut + E.marketingUs + E.missingVariable)
      await shot(page, `review-${lang}-4-sent`)

      // The rate card the estimate used: shipped with its date, editable in Settings.
      await page.getByTestId('nav-settings').click()
      const card = page.getByTestId('rate-card')
      await card.getByRole('heading', { name: words.rateTitle }).waitFor()
      expect(await page.getByTestId('rate-card-date').inputValue()).toBe('2025-07-01')
      await page.getByTestId('rate-colombia-marketing').fill('0.02')
      await page.getByTestId('rate-card-save').click()
      await page.waitForFunction(() => !(document.querySelector('[data-testid=rate-card-reset]') as HTMLButtonElement | null)?.disabled)
      expect((await rpc(serve, 'settings.get', undefined)).rateCard?.markets.colombia.marketing).toBe(0.02)
      await shot(page, `review-${lang}-5-rate-card`)
      expect(blocking(await axe(page, `review-${lang}-5-rate-card`))).toEqual([])
      await page.getByTestId('rate-card-reset').click()
      await page.waitForFunction(() => (document.querySelector('[data-testid=rate-card-reset]') as HTMLButtonElement | null)?.disabled === true)
      expect((await rpc(serve, 'settings.get', undefined)).rateCardEdited).toBe(false)

      expect(consoleErrors).toEqual([])
    } finally {
      await context.close()
    }
  }, 180_000)
})
