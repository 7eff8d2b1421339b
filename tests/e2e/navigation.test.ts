// Issue 11.8 in real Chromium against `pregon serve --demo`, in Spanish and English: every screen has an
// address, so Back, Forward and reload keep the place and a wizard in progress survives a reload; the
// recipient search finds "300 123 4567" and "munoz"; the monitor is a table with created/started dates,
// a status filter, a search, "send again to…" and archive.

import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import { axeCheck } from './axe'
import { SHOTS, openBrowser, startDemoServe, type DemoServe } from './harness'
import { choosePromo, importFile, rpc } from './uxSteps'

// Windows-1252, ";", numbers as "300 123 4567" (tests/fixtures/search/README.md).
const FIXTURE = path.join(__dirname, '..', 'fixtures', 'search', 'clientes-excel-es.csv')
const LOCALES = { es: 'es-CO', en: 'en-US' } as const

let serve: DemoServe
let browser: Browser

beforeAll(async () => {
  serve = await startDemoServe('pregon-e2e-nav-')
  ;({ browser } = await openBrowser())
}, 90_000)

afterAll(async () => {
  await browser?.close()
  await serve?.stop()
})

const shot = (page: Page, name: string) => page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true })
const hash = (page: Page) => new URL(page.url()).hash

async function visibleNames(page: Page): Promise<string[]> {
  return page.locator('[data-testid=recipient-row] [role=cell]:nth-child(3)').allInnerTexts()
}

async function searchRecipients(page: Page, typed: string, expected: string[]): Promise<void> {
  await page.getByTestId('recipient-search').fill(typed)
  await expect.poll(() => visibleNames(page), { timeout: 10_000 }).toEqual(expected)
}

describe('addresses, search and the campaign table', () => {
  for (const lang of ['es', 'en'] as const) {
    it(`keeps the place through reloads and Back, finds people as typed, and manages campaigns (${lang})`, async () => {
      await rpc(serve, 'settings.set', { language: lang })
      const context = await browser.newContext({ locale: LOCALES[lang], viewport: { width: 1280, height: 900 } })
      const page = await context.newPage()
      const name = lang === 'es' ? 'Promoción Día de la Madre' : 'Mother’s Day Promoción'
      try {
        await page.goto(serve.demoUrl)
        await page.getByTestId('nav-monitor').waitFor()

        // The wizard, reloaded at each step, keeps the file, the template and its variables.
        await page.getByTestId('nav-contacts').click()
        expect(hash(page)).toBe('#/contacts')
        await importFile(page, FIXTURE, ['Nombre', 'Oferta'])
        expect(await page.locator('[data-testid=summary-valid] .stat__value').innerText()).toBe('12')
        await page.reload()
        await page.getByTestId('import-summary').waitFor()
        expect(await page.locator('[data-testid=summary-valid] .stat__value').innerText()).toBe('12')
        await page.getByTestId('contacts-next').click()
        await choosePromo(page, 'Nombre', 'Oferta')
        const bubble = 'Hola María Muñoz, tenemos 20% de descuento para ti esta semana. ¡Te esperamos en la tienda!'
        expect(await page.getByTestId('bubble-body').innerText()).toBe(bubble)
        await page.reload()
        await page.getByTestId('bubble-body').waitFor()
        expect(hash(page)).toBe('#/template')
        expect(await page.getByTestId('bubble-body').innerText()).toBe(bubble)
        await page.getByTestId('template-next').click()
        await page.getByTestId('pacing').locator('input[value=custom]').check()
        await page.getByTestId('pacing-interval').fill('0.05')
        await page.getByTestId('campaign-name').fill(name)
        await page.reload()
        await page.getByTestId('review-recipients').waitFor()
        expect(hash(page)).toBe('#/review')
        expect(await page.getByTestId('review-recipients').innerText()).toContain('12')
        expect(await page.getByTestId('campaign-name').inputValue()).toBe(name)
        expect(await page.getByTestId('pacing').locator('input[value=custom]').isChecked()).toBe(true)
        await shot(page, `nav-${lang}-review-after-reload`)
        await page.getByTestId('start-campaign').click()
        await page.locator('[data-testid=campaign-detail][data-status=completed]').waitFor({ timeout: 30_000 })
        const campaignHash = hash(page)
        expect(campaignHash).toMatch(/^#\/campaign\/.+/)

        // Search: a number as typed, a name without its accents or ñ.
        await page.getByTestId('recipient-row').first().waitFor()
        await searchRecipients(page, '300 123 4567', ['María Muñoz'])
        await searchRecipients(page, 'munoz', ['María Muñoz', 'Andrés Muñoz Peña'])
        await searchRecipients(page, 'ÑAÑEZ', ['Luis Ñáñez'])
        await searchRecipients(page, 'luis nanez', ['Luis Ñáñez'])
        await shot(page, `nav-${lang}-search`)
        expect(await axeCheck(page, `a11y-${lang}-recipient-search`)).toEqual([])

        // Back, Forward and reload keep the place.
        await page.getByTestId('nav-monitor').click()
        await page.getByTestId('campaign-table').waitFor()
        expect(hash(page)).toBe('#/monitor')
        await page.goBack()
        await page.getByTestId('campaign-detail').waitFor()
        expect(hash(page)).toBe(campaignHash)
        await page.reload()
        await page.getByTestId('campaign-detail').waitFor()
        await page.goForward()
        await page.getByTestId('campaign-table').waitFor()

        // The table: dates, a status filter and a search.
        const row = page.locator(`[data-testid=campaign-card][data-campaign-id="${decodeURIComponent(campaignHash.replace('#/campaign/', ''))}"]`)
        expect(await row.getByTestId('created-at').innerText()).toMatch(/\d/)
        expect(await row.getByTestId('started-at').innerText()).toMatch(/\d/)
        await page.getByTestId('campaign-status-filter').selectOption('paused')
        await page.getByTestId('campaigns-empty').waitFor()
        await page.getByTestId('campaign-status-filter').selectOption('completed')
        await row.waitFor()
        await page.getByTestId('campaign-search').fill(lang === 'es' ? 'promocion dia' : 'MOTHER')
        await row.waitFor()
        await page.getByTestId('campaign-search').fill('navidad')
        await page.getByTestId('campaigns-empty').waitFor()
        await page.getByTestId('campaign-search').fill('')
        await page.getByTestId('campaign-status-filter').selectOption('')
        await row.waitFor()
        await shot(page, `nav-${lang}-monitor-table`)
        expect(await axeCheck(page, `a11y-${lang}-monitor-table`)).toEqual([])

        // Send again: nobody failed, so that group is refused in words; everyone makes a new campaign.
        await row.getByTestId('send-again').click()
        await page.getByTestId('audience-failed').check()
        await page.getByTestId('send-again-ok').click()
        const refusal = page.getByTestId('send-again-error')
        await refusal.waitFor()
        expect(await refusal.innerText()).toBe(lang === 'es' ? 'Nadie de esa lista está en este grupo: elige otro.' : 'Nobody on that list is in this group: choose another one.')
        await shot(page, `nav-${lang}-send-again`)
        expect(await axeCheck(page, `a11y-${lang}-send-again-refused`)).toEqual([])
        await page.getByTestId('audience-all').check()
        await page.getByTestId('send-again-ok').click()
        await page.getByTestId('campaign-detail').waitFor()
        expect(hash(page)).not.toBe(campaignHash)
        const again = lang === 'es' ? `${name} (otra vez)` : `${name} (again)`
        expect(await page.locator('#detail-title').innerText()).toBe(again)
        const cloneId = decodeURIComponent(hash(page).replace('#/campaign/', ''))
        expect((await rpc(serve, 'campaigns.get', { id: cloneId })).contactsCount).toBe(12)

        // Archive the first one: out of the table, back from "show archived".
        await page.getByTestId('nav-monitor').click()
        await row.getByTestId('archive').click()
        await row.waitFor({ state: 'detached' })
        await page.getByTestId('show-archived').check()
        await row.getByTestId('unarchive').waitFor()
        await shot(page, `nav-${lang}-archived`)
        await row.getByTestId('unarchive').click()
        await row.waitFor({ state: 'detached' })
        await page.getByTestId('show-archived').uncheck()
        await row.waitFor()
      } finally {
        await context.close()
      }
    }, 150_000)
  }
})
