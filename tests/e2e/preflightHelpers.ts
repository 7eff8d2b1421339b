// What the issue-11 "preflight" suites share: the contract over HTTP, a browser context in one language,
// screenshots, and axe-core run on the page as it is (results saved next to the screenshots).

import { mkdirSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import type { ApiArgs, ApiMethod, ApiResults } from '../../src/shared/contract'
import type { ApiResult } from '../../src/shared/errors'
import { SHOTS, type DemoServe } from './harness'

export type Lang = 'en' | 'es'
export const LOCALE: Record<Lang, string> = { en: 'en-US', es: 'es-CO' }

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

/** A fresh context in the shop owner's language (the UI follows the browser's); CSP bypassed only to inject axe. */
export async function openIn(browser: Browser, lang: Lang): Promise<{ context: BrowserContext; page: Page; consoleErrors: string[] }> {
  const context = await browser.newContext({ locale: LOCALE[lang], viewport: { width: 1280, height: 900 }, bypassCSP: true, acceptDownloads: true })
  const page = await context.newPage()
  const consoleErrors: string[] = []
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(message.text())
  })
  page.on('pageerror', (error) => consoleErrors.push(error.message))
  return { context, page, consoleErrors }
}

export async function shot(page: Page, name: string): Promise<void> {
  mkdirSync(SHOTS, { recursive: true })
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true })
}

export interface AxeViolation {
  id: string
  impact: string | null
  help: string
  targets: string[]
}

/** Runs axe-core on the page; every violation is saved as `<name>.axe.json` beside the screenshots. */
export async function axe(page: Page, name: string): Promise<AxeViolation[]> {
  await page.addScriptTag({ path: require.resolve('axe-core/axe.min.js') })
  const violations = await page.evaluate(async () => {
    const run = (window as unknown as { axe: { run(context: Document): Promise<{ violations: { id: string; impact: string | null; help: string; nodes: { target: string[] }[] }[] }> } }).axe
    const result = await run.run(document)
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.map((n) => n.target.join(' ')) }))
  })
  mkdirSync(SHOTS, { recursive: true })
  writeFileSync(path.join(SHOTS, `${name}.axe.json`), JSON.stringify(violations, null, 2))
  return violations
}

/** The violations a person cannot work around: axe's "critical" and "serious". */
export function blocking(violations: AxeViolation[]): AxeViolation[] {
  return violations.filter((v) => v.impact === 'critical' || v.impact === 'serious')
}

/** Makes the demo account the one in use (the accounts screen's own button) and goes to the contacts step. */
export async function useDemoAccount(page: Page): Promise<void> {
  // The app first moves the key from the URL to local storage; a click before that is lost.
  await page.waitForFunction(() => !location.href.includes('key='))
  await page.getByTestId('nav-monitor').waitFor()
  await page.getByTestId('nav-accounts').click()
  await page.locator('#accounts-title').waitFor()
  const card = page.locator('[data-testid=account-card][data-simulated=true]').first()
  await card.waitFor()
  const next = page.getByTestId('accounts-next')
  if (await next.isDisabled()) await card.locator('button.button--primary').first().click()
  await next.click()
}
