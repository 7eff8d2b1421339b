// Reports, opt-outs and scheduling in real Chromium against a real `pregon serve --demo`: a small campaign made
// through the HTTP API completes, its Excel and PDF reports download from the detail page with the right first
// bytes; the "Opted out" screen adds and removes a number; a scheduled campaign shows its start and is cancelled.

import { readFileSync } from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import type { ApiArgs, ApiMethod, ApiResults } from '../../src/shared/contract'
import type { ApiResult } from '../../src/shared/errors'
import { SHOTS, openBrowser, startDemoServe, type DemoServe } from './harness'

const CAMPAIGN_NAME = 'E2E report export'

let serve: DemoServe
let demoUrl: string
let origin: string
let key: string
let browser: Browser
let page: Page
let consoleErrors: string[] = []

/** The typed contract over HTTP with the demo key, as a script or another program would call it. */
async function rpc<M extends ApiMethod>(method: M, args: ApiArgs<M>): Promise<ApiResults[M]> {
  const response = await fetch(`${origin}/api/${method}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: JSON.stringify(args ?? {}),
  })
  const result = (await response.json()) as ApiResult<ApiResults[M]>
  if (!result.ok) throw new Error(`${method}: ${result.error.message}`)
  return result.value
}

async function waitForStatus(id: string, status: string, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs
  for (;;) {
    const campaign = await rpc('campaigns.get', { id })
    if (campaign.status === status) return
    if (Date.now() > until) throw new Error(`campaign ${id} is ${campaign.status}, not ${status}, after ${timeoutMs} ms`)
    await new Promise((resolve) => setTimeout(resolve, 250))
  }
}

/** Clicks an export button and returns the downloaded file's name and bytes. */
async function download(testId: string): Promise<{ name: string; bytes: Buffer }> {
  const [file] = await Promise.all([page.waitForEvent('download', { timeout: 15_000 }), page.getByTestId(testId).click()])
  const saved = await file.path()
  return { name: file.suggestedFilename(), bytes: readFileSync(saved) }
}

beforeAll(async () => {
  serve = await startDemoServe('pregon-e2e-export-')
  ;({ demoUrl, origin, key } = serve)
  ;({ browser, page, consoleErrors } = await openBrowser({ acceptDownloads: true }))
}, 90_000)

afterAll(async () => {
  await browser?.close()
  await serve?.stop()
})

describe('reports, opt-outs and scheduling in the browser UI against pregon serve --demo', () => {
  it('downloads a completed campaign’s Excel and PDF reports, manages the opt-out list, and cancels a scheduled campaign', async () => {
    const account = await rpc('accounts.addDemo', undefined)
    const contacts = Array.from({ length: 5 }, (_, i) => ({ numero: `+57300555010${i}`, Nombre: `Cliente ${i + 1}` }))
    const template = { name: 'hello_world', language: 'en_US' }
    const small = await rpc('campaigns.create', { contacts, template, campaignName: CAMPAIGN_NAME, accountId: account.id, pacing: { kind: 'custom', intervalMs: 50 } })
    await waitForStatus(small.campaignId, 'completed', 30_000)
    const later = new Date(Date.now() + 2 * 3_600_000).toISOString()
    const scheduled = await rpc('campaigns.create', { contacts, template, campaignName: 'E2E scheduled', accountId: account.id, scheduledAt: later })
    expect(scheduled.status).toBe('scheduled')

    // The completed campaign's reports, from its detail page.
    await page.goto(demoUrl)
    const card = page.locator('[data-testid=campaign-card]', { hasText: CAMPAIGN_NAME })
    await card.waitFor()
    await card.getByTestId('open-detail').click()
    await page.locator('[data-testid=campaign-detail][data-status=completed]').waitFor()

    const xlsx = await download('export-xlsx')
    expect(xlsx.name).toMatch(/^e2e-report-export-\d{4}-\d{2}-\d{2}\.xlsx$/)
    expect(xlsx.bytes.length).toBeGreaterThan(1_000)
    expect(xlsx.bytes.subarray(0, 2).toString('latin1')).toBe('PK')
    expect(await page.getByTestId('export-done').innerText()).toBe(`Downloaded ${xlsx.name}`)

    const pdf = await download('export-pdf')
    expect(pdf.name).toMatch(/\.pdf$/)
    expect(pdf.bytes.length).toBeGreaterThan(1_000)
    expect(pdf.bytes.subarray(0, 4).toString('latin1')).toBe('%PDF')
    await page.screenshot({ path: path.join(SHOTS, '12-report-export.png'), fullPage: true })

    // The opt-out list: add a number by hand, see it with its source, remove it.
    await page.getByTestId('nav-optouts').click()
    await page.getByTestId('optouts-empty').waitFor()
    await page.getByTestId('optout-phone').fill('+57 300 765 4321')
    await page.getByTestId('optout-add').click()
    const row = page.locator('[data-testid=optout-row][data-phone="+573007654321"]')
    await row.waitFor()
    expect(await row.getByTestId('optout-source').innerText()).toBe('Added by hand')
    await page.screenshot({ path: path.join(SHOTS, '13-opted-out.png'), fullPage: true })
    expect((await rpc('suppressions.list', { accountId: account.id })).map((s) => s.phone)).toEqual(['+573007654321'])
    await row.getByTestId('optout-remove').click()
    await row.getByTestId('optout-remove-confirm').click()
    await page.getByTestId('optouts-empty').waitFor()
    expect(await rpc('suppressions.list', { accountId: account.id })).toEqual([])

    // The scheduled campaign: purple, its start time, cancellable.
    await page.getByTestId('nav-monitor').click()
    const waiting = page.locator('[data-testid=campaign-card]', { hasText: 'E2E scheduled' })
    expect(await waiting.getByTestId('status-badge').getAttribute('data-tone')).toBe('purple')
    expect(await waiting.getByTestId('starts-at').innerText()).toMatch(/^Starts /)
    expect(await waiting.getByTestId('pause').count()).toBe(0)
    await page.screenshot({ path: path.join(SHOTS, '14-scheduled.png'), fullPage: true })
    await waiting.getByTestId('cancel').click()
    await waiting.getByTestId('cancel-confirm').click()
    await page.locator('[data-testid=campaign-card][data-status=cancelled]', { hasText: 'E2E scheduled' }).waitFor()
    expect((await rpc('campaigns.get', { id: scheduled.campaignId })).status).toBe('cancelled')

    expect(consoleErrors).toEqual([])
  }, 60_000)
})
