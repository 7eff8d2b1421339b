// Issue 11.10 in real Chromium against `pregon serve --demo`: the first launch, with only the demo account
// and nothing sent, opens on a welcome that says the demo is ready and how to add a real number (links to
// Meta's pages, and that the API Setup token expires after 24 h); once a campaign exists it opens the monitor.

import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import { axeCheck } from './axe'
import { SHOTS, openBrowser, startDemoServe, type DemoServe } from './harness'
import { rpc } from './uxSteps'

const LOCALES = { es: 'es-CO', en: 'en-US' } as const
const WORDS = {
  es: { title: 'Te damos la bienvenida a Pregón', ready: 'Tu cuenta de prueba está lista', expires: 'caduca a las 24 h' },
  en: { title: 'Welcome to Pregón', ready: 'Your demo account is ready', expires: 'expires after 24 h' },
}

let serve: DemoServe
let browser: Browser

beforeAll(async () => {
  serve = await startDemoServe('pregon-e2e-welcome-')
  ;({ browser } = await openBrowser())
}, 90_000)

afterAll(async () => {
  await browser?.close()
  await serve?.stop()
})

async function firstLaunch(lang: keyof typeof LOCALES): Promise<Page> {
  await rpc(serve, 'settings.set', { language: lang })
  const context = await browser.newContext({ locale: LOCALES[lang], viewport: { width: 1280, height: 900 } })
  const page = await context.newPage()
  await page.goto(serve.demoUrl)
  await page.getByTestId('nav-monitor').waitFor()
  return page
}

describe('first launch with the demo account', () => {
  for (const lang of ['es', 'en'] as const) {
    it(`opens on a welcome that says the demo is ready and how to add a real number (${lang})`, async () => {
      const page = await firstLaunch(lang)
      try {
        const welcome = page.getByTestId('welcome')
        await welcome.waitFor()
        expect(new URL(page.url()).hash).toBe('#/welcome')
        expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe(WORDS[lang].title)
        expect(await page.getByTestId('welcome-demo').innerText()).toContain(WORDS[lang].ready)
        expect(await page.getByTestId('welcome-demo').getByTestId('simulated-tag').count()).toBe(1)
        expect(await page.getByTestId('welcome-token-warning').innerText()).toContain(WORDS[lang].expires)
        // Meta's pages open outside the app.
        for (const [id, href] of [
          ['link-meta-apps', 'https://developers.facebook.com/apps/'],
          ['link-permanent-token', 'https://developers.facebook.com/docs/whatsapp/business-management-api/get-started#system-user-access-tokens'],
          ['link-getting-started', 'https://developers.facebook.com/docs/whatsapp/cloud-api/get-started'],
        ]) {
          const link = page.getByTestId(id)
          expect(await link.getAttribute('href')).toBe(href)
          expect(await link.getAttribute('target')).toBe('_blank')
        }
        expect(await axeCheck(page, `welcome-${lang}`)).toEqual([])
        await page.screenshot({ path: path.join(SHOTS, `welcome-${lang}.png`), fullPage: true })

        await page.getByTestId('welcome-try-demo').click()
        await page.getByTestId('dropzone').waitFor()
        expect(new URL(page.url()).hash).toBe('#/contacts')
        await page.goBack()
        await page.getByTestId('welcome-add-real').click()
        await page.getByTestId('show-account-form').waitFor()
        expect(new URL(page.url()).hash).toBe('#/accounts')
      } finally {
        await page.context().close()
      }
    }, 60_000)
  }

  it('opens on the monitor once something was sent', async () => {
    const [demo] = await rpc(serve, 'accounts.list', undefined)
    await rpc(serve, 'campaigns.create', {
      contacts: [{ numero: '+573005550300', Nombre: 'Ana' }],
      template: { name: 'hello_world', language: 'en_US' },
      campaignName: 'First',
      accountId: demo.id,
    })
    const page = await firstLaunch('en')
    try {
      await page.getByTestId('campaign-table').waitFor()
      expect(new URL(page.url()).hash).toBe('#/monitor')
    } finally {
      await page.context().close()
    }
  }, 60_000)
})
