// Two fixes a shop owner meets in real Chromium against a real `pregon serve --demo`: an access token is
// replaced from the account's card (checked with the simulator as Meta), and the second sheet of an Excel
// workbook is imported by choosing it.

import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import type { ApiArgs, ApiMethod, ApiResults } from '../../src/shared/contract'
import type { ApiResult } from '../../src/shared/errors'
import { DEFAULT_ACCESS_TOKEN, DEFAULT_PHONE_NUMBERS } from '../../src/sim'
import { buildContactFixtures, type BuiltFixtures } from '../fixtures/contacts/build'
import { SHOTS, openBrowser, startDemoServe, type DemoServe } from './harness'

let serve: DemoServe
let browser: Browser
let page: Page
let consoleErrors: string[] = []
let fixtures: BuiltFixtures

async function rpc<M extends ApiMethod>(method: M, args: ApiArgs<M>): Promise<ApiResults[M]> {
  const response = await fetch(`${serve.origin}/api/${method}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${serve.key}` },
    body: JSON.stringify(args ?? {}),
  })
  const result = (await response.json()) as ApiResult<ApiResults[M]>
  if (!result.ok) throw new Error(`${method}: ${result.error.message}`)
  return result.value
}

beforeAll(async () => {
  serve = await startDemoServe('pregon-e2e-accounts-')
  ;({ browser, page, consoleErrors } = await openBrowser())
  fixtures = await buildContactFixtures(await mkdtemp(path.join(tmpdir(), 'pregon-e2e-xlsx-')))
}, 90_000)

afterAll(async () => {
  await browser?.close()
  await serve?.stop()
  if (fixtures) await rm(fixtures.dir, { recursive: true, force: true })
})

describe('accounts and workbooks in the browser UI against pregon serve --demo', () => {
  it('replaces a refused access token, and imports the sheet the shop owner picks', async () => {
    // A number added as a real one (not the demo); with --demo the installation's Graph API is the built-in simulator.
    const number = DEFAULT_PHONE_NUMBERS[0]
    const account = await rpc('accounts.add', {
      phoneNumberId: number.id,
      wabaId: number.wabaId,
      accessToken: DEFAULT_ACCESS_TOKEN,
      defaultCountry: 'CO',
    })

    await page.goto(serve.demoUrl)
    await page.getByTestId('nav-accounts').click()
    const card = page.locator('[data-testid=account-card][data-simulated=false]')
    await card.getByTestId('change-token').click()

    // Meta (the simulator) refuses a wrong token: its reason shows and the old token stays.
    await page.getByTestId('new-token').fill('EAAG-expired-token')
    await page.getByTestId('save-token').click()
    const refusal = page.getByTestId('account-error')
    await refusal.waitFor()
    expect(await refusal.innerText()).toMatch(/access token is invalid or has expired/i)
    await page.screenshot({ path: path.join(SHOTS, '15-token-refused.png'), fullPage: true })

    await page.getByTestId('new-token').fill(DEFAULT_ACCESS_TOKEN)
    await page.getByTestId('save-token').click()
    await page.getByTestId('account-notice').waitFor()
    expect(await page.getByTestId('token-form').count()).toBe(0)
    expect((await rpc('accounts.list', undefined)).find((a) => a.id === account.id)?.accessTokenHint).toBe(`…${DEFAULT_ACCESS_TOKEN.slice(-4)}`)
    await page.screenshot({ path: path.join(SHOTS, '16-token-replaced.png'), fullPage: true })

    // The workbook: the first sheet is read, the other one is offered and read when chosen.
    await card.getByRole('button', { name: 'Use this number' }).click()
    await page.getByTestId('accounts-next').click()
    await page.getByTestId('file-input').setInputFiles(fixtures.path('contacts.xlsx'))
    await page.getByTestId('import-summary').waitFor()
    const sheet = page.getByTestId('sheet')
    expect(await sheet.inputValue()).toBe('Clientes')
    expect(await page.locator('[data-testid=summary-valid] .stat__value').innerText()).toBe('5')
    await sheet.selectOption('Otros')
    await page.waitForFunction(() => document.querySelector('[data-testid=summary-valid] .stat__value')?.textContent === '1')
    expect(await sheet.inputValue()).toBe('Otros')
    expect(await page.getByTestId('phone-column').inputValue()).toBe('Teléfono')
    await page.screenshot({ path: path.join(SHOTS, '17-workbook-sheet.png'), fullPage: true })

    // Chromium logs every answer that is not 2xx: the refused token's (502, Meta said no) is the only one.
    expect(consoleErrors).toEqual(['Failed to load resource: the server responded with a status of 502 (Bad Gateway)'])
  })
})
