// Issue 11.6 in real Chromium against `pregon serve --demo`: until a status webhook has arrived for the
// number, the monitor, the campaign page and the opt-out page say that ticks and STOP replies need the
// webhook, with a guided setup and a real test (a signed event posted to the webhook address, which comes
// back); once the simulator's statuses arrive, the warnings go and the opt-out page says STOP replies arrive.

import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import type { ApiResults } from '../../src/shared/contract'
import { axeCheck } from './axe'
import { SHOTS, openBrowser, startDemoServe, type DemoServe } from './harness'
import { open, rpc } from './uxSteps'

const ADMIN_KEY = 'e2e-admin-key-0123456789abcdef'
const LOCALES = { es: 'es-CO', en: 'en-US' } as const
const CONTACTS = Array.from({ length: 4 }, (_, i) => ({ numero: `+57300555020${i}`, Nombre: `Cliente ${i + 1}` }))
const HELLO = { name: 'hello_world', language: 'en_US' }

let serve: DemoServe
let browser: Browser
let account: ApiResults['accounts.addDemo']
let scheduledId: string

async function asAdmin(method: string, args: unknown): Promise<{ status: number; body: { ok: boolean; value?: unknown; error?: { code: string; message: string } } }> {
  const response = await fetch(`${serve.origin}/api/${method}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN_KEY}` },
    body: JSON.stringify(args),
  })
  return { status: response.status, body: (await response.json()) as never }
}

beforeAll(async () => {
  // The operator's key, so the test can aim the webhook check at addresses of its choosing.
  process.env.PREGON_ADMIN_KEY = ADMIN_KEY
  try {
    serve = await startDemoServe('pregon-e2e-webhooks-')
  } finally {
    delete process.env.PREGON_ADMIN_KEY
  }
  ;({ browser } = await openBrowser())
  account = await rpc(serve, 'accounts.addDemo', undefined)
  const later = new Date(Date.now() + 4 * 3_600_000).toISOString()
  scheduledId = (await rpc(serve, 'campaigns.create', { contacts: CONTACTS, template: HELLO, campaignName: 'Later', accountId: account.id, scheduledAt: later })).campaignId
}, 90_000)

afterAll(async () => {
  await browser?.close()
  await serve?.stop()
})

async function signedIn(lang: keyof typeof LOCALES): Promise<Page> {
  await rpc(serve, 'settings.set', { language: lang })
  const context = await browser.newContext({ locale: LOCALES[lang], viewport: { width: 1280, height: 900 } })
  const page = await context.newPage()
  await page.goto(serve.demoUrl)
  await page.getByTestId('nav-monitor').waitFor()
  return page
}

const shot = (page: Page, name: string) => page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true })

describe('webhooks not set up: the app says so, guides, and tests for real', () => {
  for (const lang of ['es', 'en'] as const) {
    it(`warns on the monitor, the campaign and the opt-out page, and the test comes back (${lang})`, async () => {
      const page = await signedIn(lang)
      try {
        const words =
          lang === 'es'
            ? { title: 'necesitan el webhook de Meta', optouts: 'no se añaden aquí solas', arrived: 'volvió a Pregón', loopback: 'Meta no puede llegar a ella' }
            : { title: 'need Meta’s webhook', optouts: 'are not added here by themselves', arrived: 'came back to Pregón', loopback: 'Meta cannot reach it' }

        await open(page, serve, '#/monitor')
        const notice = page.getByTestId('webhook-missing')
        await notice.waitFor()
        expect(await notice.innerText()).toContain(words.title)

        // The guided setup: a tunnel command for this server's own port, and the real test.
        await notice.locator('summary').click()
        expect(await page.getByTestId('tunnel-command').innerText()).toBe(`cloudflared tunnel --url ${serve.origin}`)
        await page.getByTestId('webhook-test-run').click()
        const result = page.getByTestId('webhook-test-result')
        await result.waitFor({ timeout: 20_000 })
        expect(await result.getAttribute('data-outcome')).toBe('arrived')
        expect(await result.innerText()).toContain(`${serve.origin}/webhook`)
        expect(await result.innerText()).toContain(words.arrived)
        // The address is this computer's: the app does not claim Meta can reach it.
        expect(await result.innerText()).toContain(words.loopback)
        await shot(page, `webhooks-${lang}-monitor-test`)
        expect(await axeCheck(page, `a11y-${lang}-webhook-setup`)).toEqual([])

        await open(page, serve, `#/campaign/${scheduledId}`)
        await page.getByTestId('campaign-detail').waitFor()
        await page.getByTestId('webhook-missing').waitFor()
        await shot(page, `webhooks-${lang}-campaign`)

        await open(page, serve, '#/optouts')
        await page.getByTestId('webhook-missing').waitFor()
        expect(await page.getByTestId('webhook-missing').innerText()).toContain(words.optouts)
        expect(await page.getByTestId('webhook-ok').count()).toBe(0)
        await shot(page, `webhooks-${lang}-optouts-missing`)
      } finally {
        await page.context().close()
      }
    }, 90_000)
  }

  it('tests the address the operator gives and says where the test got lost; a tenant cannot choose one', async () => {
    const closed = await asAdmin('webhooks.test', { url: 'http://127.0.0.1:9/webhook' })
    expect(closed.body.value).toMatchObject({ outcome: 'unreachable', httpStatus: null, target: 'http://127.0.0.1:9/webhook' })
    const notAWebhook = await asAdmin('webhooks.test', { url: `${serve.origin}/healthz` })
    expect(notAWebhook.body.value).toMatchObject({ outcome: 'refused', httpStatus: 404 })
    const itself = await asAdmin('webhooks.test', { url: `${serve.origin}/webhook` })
    expect(itself.body.value).toMatchObject({ outcome: 'arrived', httpStatus: 200 })

    const tenant = await fetch(`${serve.origin}/api/webhooks.test`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${serve.key}` },
      body: JSON.stringify({ url: 'http://127.0.0.1:9/webhook' }),
    })
    expect(tenant.status).toBe(403)
  }, 60_000)

  it('stops warning once the simulator’s statuses arrive, and the opt-out page says STOP replies are added (es, en)', async () => {
    const sent = await rpc(serve, 'campaigns.create', { contacts: CONTACTS, template: HELLO, campaignName: 'Now', accountId: account.id, pacing: { kind: 'custom', intervalMs: 50 } })
    const deadline = Date.now() + 30_000
    while ((await rpc(serve, 'webhooks.status', { accountId: account.id })).lastStatusAt === null) {
      if (Date.now() > deadline) throw new Error('no status webhook arrived from the simulator in 30 s')
      await new Promise((resolve) => setTimeout(resolve, 250))
    }
    for (const lang of ['es', 'en'] as const) {
      const page = await signedIn(lang)
      try {
        await open(page, serve, `#/campaign/${sent.campaignId}`)
        await page.getByTestId('campaign-detail').waitFor()
        await open(page, serve, '#/optouts')
        await page.getByTestId('webhook-ok').waitFor()
        expect(await page.getByTestId('webhook-missing').count()).toBe(0)
        await shot(page, `webhooks-${lang}-optouts-working`)
        await open(page, serve, '#/monitor')
        await page.getByTestId('campaign-table').waitFor()
        expect(await page.getByTestId('webhook-missing').count()).toBe(0)
      } finally {
        await page.context().close()
      }
    }
  }, 90_000)
})
