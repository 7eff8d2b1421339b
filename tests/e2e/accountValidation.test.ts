// Issue 11, point 9, in real Chromium against `pregon serve --demo` (its simulator answers as Meta), in
// Spanish and in English: "Validate" refused by Meta shows its reason next to the button, inside the form,
// and moves focus there; fixing what was typed clears the stale reason; validating again succeeds.

import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { chromium, type Browser } from 'playwright-core'
import { DEFAULT_ACCESS_TOKEN, DEFAULT_PHONE_NUMBERS } from '../../src/sim'
import { startDemoServe, type DemoServe } from './harness'
import { axe, blocking, openIn, shot, type Lang } from './preflightHelpers'

let serve: DemoServe
let browser: Browser

const WORDS = {
  en: { retry: 'Fix the data above and press “Validate” again.', validated: 'Meta confirmed' },
  es: { retry: 'Corrige los datos de arriba y pulsa «Validar» otra vez.', validated: 'Meta confirmó' },
} as const

beforeAll(async () => {
  serve = await startDemoServe('pregon-e2e-validate-')
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'],
  })
}, 90_000)

afterAll(async () => {
  await browser?.close()
  await serve?.stop()
})

describe.each(['es', 'en'] as Lang[])('validating a WhatsApp number (%s)', (lang) => {
  it('shows Meta’s refusal next to “Validate”, focused, and clears it once the input is fixed', async () => {
    const { context, page, consoleErrors } = await openIn(browser, lang)
    const number = DEFAULT_PHONE_NUMBERS[0]
    try {
      await page.goto(serve.demoUrl)
      await page.waitForFunction(() => !location.href.includes('key='))
      await page.getByTestId('nav-accounts').click()
      await page.getByTestId('show-account-form').click()
      const form = page.getByTestId('account-form')
      await page.getByTestId('account-phoneNumberId').fill(number.id)
      await page.getByTestId('account-wabaId').fill(number.wabaId)
      await page.getByTestId('account-accessToken').fill('EAAG-typo-in-the-token')
      await page.getByTestId('validate-account').click()

      // In the form, right above the buttons, and focused: where the eye is.
      const refusal = form.getByTestId('account-error')
      await refusal.waitFor()
      expect(await page.locator('[data-testid=account-error]').count()).toBe(1)
      expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('account-error')
      expect(await refusal.innerText()).toContain(WORDS[lang].retry)
      const box = await refusal.boundingBox()
      const button = await page.getByTestId('validate-account').boundingBox()
      expect(box && button && button.y - (box.y + box.height)).toBeGreaterThanOrEqual(0)
      expect(box && button && button.y - (box.y + box.height)).toBeLessThan(80)
      await shot(page, `validate-${lang}-1-refused`)
      expect(blocking(await axe(page, `validate-${lang}-1-refused`))).toEqual([])

      // Fixing the token clears the reason at once; it no longer applies.
      await page.getByTestId('account-accessToken').fill(DEFAULT_ACCESS_TOKEN)
      expect(await page.locator('[data-testid=account-error]').count()).toBe(0)
      await page.getByTestId('validate-account').click()
      const result = page.getByTestId('validation-result')
      await result.waitFor()
      expect(await page.locator('[data-testid=account-error]').count()).toBe(0)
      await shot(page, `validate-${lang}-2-validated`)
      expect(blocking(await axe(page, `validate-${lang}-2-validated`))).toEqual([])
      // Chromium logs the refused validation's answer (502: Meta said no), and nothing else.
      expect(consoleErrors).toEqual(['Failed to load resource: the server responded with a status of 502 (Bad Gateway)'])
    } finally {
      await context.close()
    }
  }, 90_000)
})
