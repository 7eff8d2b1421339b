// Every screen in real Chromium, in Spanish and English, checked by axe-core (WCAG 2.1 A/AA and best
// practice): no serious or critical violation anywhere. Each screen's full results are saved as
// tests/e2e/screenshots/a11y-<lang>-<screen>.axe.json next to its screenshot. Also: the recipient table
// scrolls by keyboard, the drop zone shows focus, and Esc from a dialog returns focus to what opened it.

import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { axeCheck } from './axe'
import { openBrowser, startDemoServe, type DemoServe } from './harness'
import { choosePromo, focusedTestId, importFile, open, quickReview, rpc } from './uxSteps'

const FIXTURE = path.join(__dirname, 'fixtures', 'contacts-150.csv')
const LOCALES = { es: 'es-CO', en: 'en-US' } as const

let serve: DemoServe
let browser: Browser

beforeAll(async () => {
  serve = await startDemoServe('pregon-e2e-a11y-')
  ;({ browser } = await openBrowser())
}, 90_000)

afterAll(async () => {
  await browser?.close()
  await serve?.stop()
})

async function visitEveryScreen(lang: keyof typeof LOCALES): Promise<string[]> {
  await rpc(serve, 'settings.set', { language: lang })
  const context: BrowserContext = await browser.newContext({ locale: LOCALES[lang], viewport: { width: 1280, height: 900 } })
  const page: Page = await context.newPage()
  const problems: string[] = []
  const check = async (screen: string) => problems.push(...(await axeCheck(page, `a11y-${lang}-${screen}`)))
  try {
    await page.goto(serve.origin)
    await page.getByTestId('signin-key').waitFor()
    await check('signin')

    await page.getByTestId('signin-key').fill(serve.key)
    await page.getByTestId('signin-submit').click()
    await page.getByTestId('nav-monitor').waitFor()
    await open(page, serve, '#/welcome')
    await page.getByTestId('welcome').waitFor()
    await check('welcome')

    await open(page, serve, '#/accounts')
    await page.getByTestId('add-demo').waitFor()
    await check('accounts')
    await page.getByTestId('show-account-form').click()
    await page.getByTestId('account-form').waitFor()
    await check('accounts-form')

    await open(page, serve, '#/contacts')
    await page.getByTestId('dropzone').waitFor()
    // The drop zone shows where the keyboard is.
    await page.getByTestId('file-input').focus()
    expect(await page.getByTestId('dropzone').evaluate((el) => getComputedStyle(el).outlineStyle)).not.toBe('none')
    await check('contacts-empty')
    await importFile(page, FIXTURE, ['Nombre', 'Oferta'])
    await check('contacts-imported')

    await page.getByTestId('contacts-next').click()
    await choosePromo(page, 'Nombre', 'Oferta')
    await check('template')

    await page.getByTestId('template-next').click()
    await quickReview(page, `A11y ${lang}`)
    await check('review')
    await page.getByTestId('start-campaign').click()
    await page.getByTestId('background-dialog').waitFor()
    expect(await focusedTestId(page)).toBe('dialog-ok')
    await check('background-dialog')
    await page.keyboard.press('Escape')
    await page.getByTestId('background-dialog').waitFor({ state: 'detached' })
    expect(await focusedTestId(page)).toBe('start-campaign')

    await page.getByTestId('start-campaign').click()
    await page.getByTestId('dialog-ok').click()
    await page.locator('[data-testid=campaign-detail][data-status=completed]').waitFor({ timeout: 60_000 })
    await page.getByTestId('recipient-row').first().waitFor()
    await check('campaign')
    // The recipient table scrolls from the keyboard.
    await page.getByTestId('recipient-scroll').focus()
    await page.keyboard.press('PageDown')
    await page.waitForFunction(() => (document.querySelector('[data-testid=recipient-scroll]')?.scrollTop ?? 0) > 0)

    await open(page, serve, '#/monitor')
    await page.getByTestId('campaign-table').waitFor()
    await check('monitor')
    const row = page.locator('[data-testid=campaign-card]', { hasText: `A11y ${lang}` })
    await row.getByTestId('send-again').click()
    await page.getByTestId('send-again-dialog').waitFor()
    await check('send-again-dialog')
    await page.keyboard.press('Escape')
    await page.getByTestId('send-again-dialog').waitFor({ state: 'detached' })
    expect(await focusedTestId(page)).toBe('send-again')

    await open(page, serve, '#/optouts')
    await page.getByTestId('optouts').waitFor()
    await check('optouts')

    await open(page, serve, '#/settings')
    await page.getByTestId('language-select').waitFor()
    await check('settings')

    // Dark colours: the busiest screens again.
    await page.emulateMedia({ colorScheme: 'dark' })
    await open(page, serve, '#/monitor')
    await page.getByTestId('campaign-table').waitFor()
    await check('monitor-dark')
    await row.getByTestId('campaign-link').click()
    await page.getByTestId('recipient-row').first().waitFor()
    await check('campaign-dark')
  } finally {
    await context.close()
  }
  return problems
}

describe('accessibility of every screen (axe-core in Chromium)', () => {
  it('finds no serious or critical violation on any screen in Spanish', async () => {
    expect(await visitEveryScreen('es')).toEqual([])
  }, 180_000)

  it('finds no serious or critical violation on any screen in English', async () => {
    expect(await visitEveryScreen('en')).toEqual([])
  }, 180_000)
})
