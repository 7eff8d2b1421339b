// The whole shop-owner flow in real Chromium against a real `pregon serve --demo` (simulator behind it):
// demo account → CSV import with bad rows → template with two variables → >100 dialog → start → live
// progress → pause (count stops) → resume → completed; then Spanish. Screenshots in tests/e2e/screenshots/.

import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import { SHOTS, openBrowser, startDemoServe, type DemoServe } from './harness'

const FIXTURE = path.join(__dirname, 'fixtures', 'contacts-150.csv')
const VALID_ROWS = 144

let serve: DemoServe
let demoUrl: string
let origin: string
let browser: Browser
let page: Page
let consoleErrors: string[] = []
const foreignRequests: string[] = []

async function shot(name: string): Promise<void> {
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true })
}

async function count(key: string): Promise<number> {
  const text = await page.locator(`[data-testid=campaign-detail] [data-testid=count-${key}] dd`).innerText()
  return Number(text.replace(/\D/g, ''))
}

async function detailStatus(): Promise<string | null> {
  return page.getByTestId('campaign-detail').getAttribute('data-status')
}

beforeAll(async () => {
  serve = await startDemoServe('pregon-e2e-')
  demoUrl = serve.demoUrl
  origin = serve.origin
  ;({ browser, page, consoleErrors } = await openBrowser())
  page.on('request', (request) => {
    const url = request.url()
    if (!url.startsWith('data:') && !url.startsWith('blob:') && new URL(url).origin !== origin) foreignRequests.push(url)
  })
}, 90_000)

afterAll(async () => {
  await browser?.close()
  await serve?.stop()
})

describe('the browser UI against pregon serve --demo', () => {
  it('takes a shop owner from the demo account to a completed campaign, live, and speaks Spanish', async () => {
    await page.goto(demoUrl)
    await page.getByTestId('nav-monitor').waitFor()
    // The key moves from the URL fragment to local storage.
    expect(page.url()).not.toContain('key=')

    // 1. The demo account, labelled SIMULATED.
    await page.getByTestId('nav-accounts').click()
    await page.getByTestId('add-demo').click()
    const demoCard = page.locator('[data-testid=account-card][data-simulated=true]')
    await demoCard.first().waitFor()
    expect(await demoCard.first().getByTestId('simulated-tag').innerText()).toBe('SIMULATED')
    await shot('01-demo-account')

    // 2. The CSV with bad rows.
    await page.getByTestId('accounts-next').click()
    await page.getByTestId('file-input').setInputFiles(FIXTURE)
    await page.getByTestId('import-summary').waitFor()
    expect(await page.locator('[data-testid=summary-rows] .stat__value').innerText()).toBe('150')
    expect(await page.locator('[data-testid=summary-valid] .stat__value').innerText()).toBe(String(VALID_ROWS))
    expect(Number(await page.locator('[data-testid=summary-duplicates] .stat__value').innerText())).toBe(2)
    expect(await page.getByTestId('rejected-table').locator('tbody tr').count()).toBeGreaterThanOrEqual(5)
    // Both template columns must be variables (the importer may pick them already).
    for (const column of ['Nombre', 'Oferta']) {
      const chip = page.getByTestId('variable-columns').getByLabel(column, { exact: true })
      if (!(await chip.isChecked())) {
        await chip.click()
        await page.waitForFunction((c) => {
          const box = [...document.querySelectorAll('[data-testid=variable-columns] label')].find((l) => l.textContent === c)?.querySelector('input')
          return box?.checked === true
        }, column)
      }
    }
    await shot('02-contacts-imported')

    // 3. promo_verano (es) with its two variables from two columns.
    await page.getByTestId('contacts-next').click()
    const option = page.getByTestId('template-select').locator('option', { hasText: 'promo_verano' })
    await option.waitFor({ state: 'attached' })
    await page.getByTestId('template-select').selectOption((await option.getAttribute('value')) ?? '')
    await page.getByTestId('slot-source-body:1').selectOption('Nombre')
    await page.getByTestId('slot-source-body:2').selectOption('Oferta')
    expect(await page.getByTestId('bubble-body').innerText()).toBe('Hola Juan, tenemos 20% de descuento para ti esta semana. ¡Te esperamos en la tienda!')
    await shot('03-template-mapped')

    // 4. Review: a quick custom pace, the >100 dialog, start.
    await page.getByTestId('template-next').click()
    await page.getByTestId('pacing').locator('input[value=custom]').check()
    await page.getByTestId('pacing-interval').fill('0.1')
    await page.getByTestId('campaign-name').fill('E2E summer promo')
    await page.getByTestId('estimate').waitFor()
    await page.getByTestId('start-campaign').click()
    const dialog = page.getByTestId('background-dialog')
    await dialog.waitFor()
    expect(await dialog.innerText()).toContain(`You have ${VALID_ROWS} contacts.`)
    expect(await dialog.innerText()).toContain('Do you want to use BACKGROUND mode?')
    await shot('04-background-dialog')
    await page.getByTestId('dialog-ok').click()

    // 5. Live progress on the campaign's page.
    await page.getByTestId('campaign-detail').waitFor()
    await page.waitForFunction(() => {
      const value = document.querySelector('[data-testid=campaign-detail] [data-testid=count-success] dd')?.textContent ?? '0'
      return Number(value.replace(/\D/g, '')) >= 10
    }, undefined, { timeout: 30_000 })
    const before = await count('success')
    await page.waitForFunction((n) => {
      const value = document.querySelector('[data-testid=campaign-detail] [data-testid=count-success] dd')?.textContent ?? '0'
      return Number(value.replace(/\D/g, '')) > n
    }, before, { timeout: 15_000 })
    expect(Number(await page.locator('[data-testid=campaign-detail] [data-testid=progress]').getAttribute('aria-valuenow'))).toBeGreaterThan(0)
    await shot('05-sending')

    // 6. Pause: the count stops (after the sends already in flight land).
    await page.locator('[data-testid=campaign-detail] [data-testid=pause]').click()
    await page.waitForFunction(() => document.querySelector('[data-testid=campaign-detail]')?.getAttribute('data-status') === 'paused', undefined, { timeout: 5_000 })
    await page.waitForTimeout(1_000)
    await page.locator('[data-testid=campaign-detail] [data-testid=refresh]').click()
    await page.waitForTimeout(500)
    const paused = await count('success')
    expect(paused).toBeLessThan(VALID_ROWS)
    await page.waitForTimeout(2_500)
    await page.locator('[data-testid=campaign-detail] [data-testid=refresh]').click()
    await page.waitForTimeout(500)
    expect(await count('success')).toBe(paused)
    expect(await detailStatus()).toBe('paused')
    await shot('06-paused')

    // 7. Resume and reach completed with the right totals.
    await page.locator('[data-testid=campaign-detail] [data-testid=resume]').click()
    await page.waitForFunction(() => document.querySelector('[data-testid=campaign-detail]')?.getAttribute('data-status') === 'completed', undefined, { timeout: 60_000 })
    expect(await count('success')).toBe(VALID_ROWS)
    expect(await count('failed')).toBe(0)
    expect(await count('pending')).toBe(0)
    expect(await page.locator('[data-testid=campaign-detail] [data-testid=progress]').getAttribute('aria-valuenow')).toBe('100')
    await page.getByTestId('recipient-row').first().waitFor()
    await shot('07-completed')

    await page.getByTestId('nav-monitor').click()
    const card = page.locator('[data-testid=campaign-card]', { hasText: 'E2E summer promo' })
    expect(await card.getByTestId('status-badge').getAttribute('data-tone')).toBe('green')
    await shot('08-monitor')

    // 8. Spanish.
    await page.getByTestId('nav-settings').click()
    await page.getByTestId('language-select').selectOption('es')
    await page.getByRole('heading', { name: 'Ajustes' }).waitFor()
    expect(await page.getByTestId('nav-monitor').innerText()).toContain('Ver Monitor')
    await page.getByTestId('nav-monitor').click()
    expect(await card.getByTestId('status-badge').innerText()).toBe('Completada')
    await shot('09-spanish')

    // Dark colours follow the system.
    await page.emulateMedia({ colorScheme: 'dark' })
    await card.getByTestId('open-detail').click()
    await page.getByTestId('recipient-row').first().waitFor()
    await shot('10-dark-detail')

    expect(consoleErrors).toEqual([])
    expect(foreignRequests).toEqual([])
  }, 180_000)

  it('asks for the access key when opened without one, refuses a wrong key, and lets the right one in', async () => {
    const context = await browser.newContext({ locale: 'en-US' })
    const fresh = await context.newPage()
    try {
      await fresh.goto(origin)
      await fresh.getByTestId('signin-key').fill('not-the-key')
      await fresh.getByTestId('signin-submit').click()
      await fresh.getByText('That key was not accepted').waitFor()
      await fresh.getByTestId('signin-key').fill(decodeURIComponent(new URL(demoUrl).hash.replace('#key=', '')))
      await fresh.getByTestId('signin-submit').click()
      await fresh.getByTestId('nav-monitor').waitFor()
      await fresh.screenshot({ path: path.join(SHOTS, '11-signed-in.png') })
    } finally {
      await context.close()
    }
  }, 60_000)
})
