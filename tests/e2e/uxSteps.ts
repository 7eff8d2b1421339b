// Steps the issue-11 suites share: calling the server as the demo user, and walking the wizard in Chromium
// the way a shop owner does (file → template with its variables → review).

import type { Page } from 'playwright-core'
import type { ApiArgs, ApiMethod, ApiResults } from '../../src/shared/contract'
import type { ApiResult } from '../../src/shared/errors'
import type { DemoServe } from './harness'

export async function rpc<M extends ApiMethod>(serve: DemoServe, method: M, args: ApiArgs<M>): Promise<ApiResults[M]> {
  const response = await fetch(`${serve.origin}/api/${method}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${serve.key}` },
    body: JSON.stringify(args ?? {}),
  })
  const result = (await response.json()) as ApiResult<ApiResults[M]>
  if (!result.ok) throw new Error(`${method}: ${result.error.message}`)
  return result.value
}

/** Opens a screen by its address, as a bookmark or a reload would (the key is already in local storage). */
export async function open(page: Page, serve: DemoServe, hash: string): Promise<void> {
  await page.goto(`${serve.origin}/${hash}`)
  await page.getByTestId('nav-monitor').waitFor()
}

/** Imports `file` on the contacts step and makes the named columns variables. */
export async function importFile(page: Page, file: string, variables: string[]): Promise<void> {
  await page.getByTestId('file-input').setInputFiles(file)
  await page.getByTestId('import-summary').waitFor()
  for (const column of variables) {
    const chip = page.getByTestId('variable-columns').getByLabel(column, { exact: true })
    if (await chip.isChecked()) continue
    await chip.click()
    await page.waitForFunction((c) => {
      const box = [...document.querySelectorAll('[data-testid=variable-columns] label')].find((l) => l.textContent === c)?.querySelector('input')
      return box?.checked === true
    }, column)
  }
}

/** promo_verano (es) with {{1}} ← `first` and {{2}} ← `second`. */
export async function choosePromo(page: Page, first: string, second: string): Promise<void> {
  const option = page.getByTestId('template-select').locator('option', { hasText: 'promo_verano' })
  await option.waitFor({ state: 'attached' })
  await page.getByTestId('template-select').selectOption((await option.getAttribute('value')) ?? '')
  await page.getByTestId('slot-source-body:1').selectOption(first)
  await page.getByTestId('slot-source-body:2').selectOption(second)
}

/** On the review step: a quick custom pace and a name. */
export async function quickReview(page: Page, name: string): Promise<void> {
  await page.getByTestId('pacing').locator('input[value=custom]').check()
  await page.getByTestId('pacing-interval').fill('0.05')
  await page.getByTestId('campaign-name').fill(name)
  await page.getByTestId('estimate').waitFor()
}

/** The data-testid of the focused element. */
export function focusedTestId(page: Page): Promise<string | null> {
  return page.evaluate(() => document.activeElement?.getAttribute('data-testid') ?? null)
}
