// Issue 11, points 4, 7 and 12, as a shop owner meets them in real Chromium against a real `pregon serve
// --demo`, once in Spanish (es-CO, Bogotá) and once in English (en-US, New York): every screen, error,
// the rejected-rows file and the PDF/Excel/CSV reports speak only the user's language; report times are
// the user's clock and the report summarises the import; and the small things (plurals, Excel dates, the
// header at 1024 px, Monitor's look, a cancelled campaign's percentage, "follow this computer").

import { execFileSync } from 'node:child_process'
import { mkdtemp, readFile, writeFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import path from 'node:path'
import ExcelJS from 'exceljs'
import Papa from 'papaparse'
import iconv from 'iconv-lite'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import type { ApiArgs, ApiMethod, ApiResults } from '../../src/shared/contract'
import type { ApiResult } from '../../src/shared/errors'
import { explainImportReason, importReasonLabel } from '../../src/shared/importReasons'
import { words } from '../../src/main/reports/words'
import { en } from '../../src/renderer/src/locales/en'
import { es } from '../../src/renderer/src/locales/es'
import { buildShopFiles } from '../fixtures/shopOwner/build'
import { SHOTS, openBrowser, startDemoServe, type DemoServe } from './harness'
import { foreignWords, tokens, type Lang } from './languageCheck'

const AXE_SOURCE = createRequire(import.meta.url).resolve('axe-core/axe.min.js')
const USERS: Record<Lang, { locale: string; timezoneId: string; ui: typeof en; name: string; offer: string }> = {
  es: { locale: 'es-CO', timezoneId: 'America/Bogota', ui: es, name: 'Nombre', offer: 'Oferta' },
  en: { locale: 'en-US', timezoneId: 'America/New_York', ui: en, name: 'Name', offer: 'Offer' },
}
const CAMPAIGN = 'Promo 2026'

describe('the checker itself', () => {
  it('finds the mixed words issue 11 saw, and passes clean sentences', () => {
    expect(foreignWords(['Meta did not accept these credentials'], 'es').map((f) => f.word)).toContain('accept')
    expect(foreignWords(['Demo (simulated) (simulador (demo))'], 'es').map((f) => f.word)).toEqual(['simulated'])
    expect(foreignWords(['¿Deseas usar el modo BACKGROUND?'], 'es').map((f) => f.word)).toEqual(['background'])
    expect(foreignWords(['Exitosos'], 'en').map((f) => f.word)).toEqual(['exitosos'])
    expect(foreignWords([es.template.missing_one, es.review.skippedBecause.duplicates], 'es')).toEqual([])
    expect(foreignWords([en.template.missing_one, en.monitor.count.success], 'en')).toEqual([])
    expect(tokens('WhatsApp · Pregón · CSV · pedido_listo')).toEqual([])
    // The reviewed word lists, not the locale files themselves, say what is Spanish: an English label
    // slipped into es.ts is still caught.
    expect(foreignWords(['2 Contacts'], 'es').map((f) => f.word)).toEqual(['contacts'])
  })
})

describe.each(['es', 'en'] as const)('a first campaign in %s', (lang) => {
  const user = USERS[lang]
  const t = user.ui
  let serve: DemoServe
  let browser: Browser
  let page: Page
  let consoleErrors: string[] = []
  let files: { csv: string; xlsx: string }
  /** Rendered text of each screen visited, checked together at the end so one run lists every mixed word. */
  const screens = new Map<string, string[]>()
  const axeResults: Record<string, unknown> = {}

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

  const shot = (name: string) => page.screenshot({ path: path.join(SHOTS, `ux2-${lang}-${name}.png`), fullPage: true })

  /** Visible text, option labels, aria-labels, titles and placeholders; parts marked in another language are quotes. */
  async function readScreen(name: string): Promise<void> {
    const texts = await page.evaluate(() => {
      const own = document.documentElement.lang.split('-')[0]
      const quoted = (el: Element) => {
        const marked = el.closest('[lang]')
        return marked !== null && marked !== document.documentElement && marked.getAttribute('lang')?.split('-')[0] !== own
      }
      const out: string[] = []
      const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT)
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const el = node.parentElement
        const text = node.textContent?.trim()
        if (!text || !el || quoted(el)) continue
        if (el.closest('option') || el.checkVisibility()) out.push(text)
      }
      for (const el of document.querySelectorAll('[aria-label], [title], [placeholder], [alt]')) {
        if (quoted(el)) continue
        for (const attribute of ['aria-label', 'title', 'placeholder', 'alt']) {
          const value = el.getAttribute(attribute)
          if (value) out.push(value)
        }
      }
      return out
    })
    screens.set(name, texts)
    axeResults[name] = await page.evaluate(async () => {
      const axe = (window as unknown as { axe: { run(context: Document, options: object): Promise<{ violations: { id: string; impact: string; nodes: unknown[] }[] }> } }).axe
      const result = await axe.run(document, { resultTypes: ['violations'] })
      return result.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.length }))
    })
    await shot(name)
  }

  async function download(testId: string): Promise<{ name: string; bytes: Buffer }> {
    const [file] = await Promise.all([page.waitForEvent('download', { timeout: 20_000 }), page.getByTestId(testId).click()])
    return { name: file.suggestedFilename(), bytes: await readFile(await file.path()) }
  }

  /** The wall clock of `ms` in the user's zone, as the reports print it ("2026-12-03 03:15"). */
  const wallClock = (ms: number) =>
    new Intl.DateTimeFormat('sv-SE', { timeZone: user.timezoneId, dateStyle: 'short', timeStyle: 'short' }).format(ms).replace(',', '')

  beforeAll(async () => {
    serve = await startDemoServe(`pregon-e2e-ux2-${lang}-`)
    ;({ browser, page, consoleErrors } = await openBrowser({ locale: user.locale, timezoneId: user.timezoneId, acceptDownloads: true }))
    files = await buildShopFiles(await mkdtemp(path.join(tmpdir(), `pregon-e2e-shop-${lang}-`)), lang)
  }, 90_000)

  afterAll(async () => {
    await writeFile(path.join(SHOTS, `ux2-${lang}-axe.json`), JSON.stringify(axeResults, null, 2)).catch(() => undefined)
    await browser?.close()
    await serve?.stop()
  })

  it('speaks only the user’s language on every screen, in errors and in the rejected-rows file, and reads Excel dates as the sheet shows them', async () => {
    await page.goto(serve.demoUrl)
    await page.getByTestId('nav-monitor').waitFor()
    // axe-core, injected through the DevTools protocol so the page's CSP does not stop it (the UI never reloads).
    await page.evaluate(await readFile(AXE_SOURCE, 'utf8'))
    // Nothing chosen yet: the UI follows this computer's language.
    expect(await page.evaluate(() => document.documentElement.lang)).toBe(lang)

    // A field the API refuses is named with the form's own label, in the user's language.
    await page.getByTestId('nav-accounts').click()
    await page.getByTestId('show-account-form').click()
    await page.getByTestId('account-phoneNumberId').fill('abc')
    await page.getByTestId('account-wabaId').fill('12345678')
    await page.getByTestId('account-accessToken').fill('EAAG-token-long-enough')
    await page.getByTestId('validate-account').click()
    const refusal = await page.getByTestId('account-error').innerText()
    expect(refusal).toContain(t.accounts.field.phoneNumberId)
    await readScreen('01-field-error')

    await page.getByTestId('add-demo').click()
    const demo = page.locator('[data-testid=account-card][data-simulated=true]')
    await demo.waitFor()
    expect(await demo.innerText()).not.toMatch(/\(simulated\)/i)
    await readScreen('02-demo-account')

    // A workbook with birthdays as Excel dates: they stay 17/05/1990, as the sheet shows them.
    await page.getByTestId('accounts-next').click()
    await page.getByTestId('file-input').setInputFiles(files.xlsx)
    await page.getByTestId('import-summary').waitFor()
    await page.getByTestId('preview-table').getByText('17/05/1990').waitFor()
    await readScreen('03-workbook-dates')

    // The Spanish Excel CSV: 300 rows, refused rows explained, one landline in the singular.
    await page.getByTestId('file-input').setInputFiles(files.csv)
    await page.locator('[data-testid=summary-rows] .stat__value', { hasText: '300' }).waitFor()
    await page.getByText(t.contacts.fixedLine_one).waitFor()
    await readScreen('04-contacts')
    const rejected = await download('download-rejected')
    // Written back as the file came in (Windows-1252, `;`): every original column, then the reason in the user's words.
    const rejectedRows = Papa.parse<string[]>(iconv.decode(rejected.bytes, 'win1252'), { delimiter: ';', skipEmptyLines: true }).data
    const reasons = rejectedRows.map((row) => row[row.length - 1])
    expect(reasons[0]).toBe(lang === 'es' ? 'Motivo' : 'Reason')
    const scientific = explainImportReason('scientific_notation', lang)
    expect(reasons.some((reason) => reason.startsWith(scientific.slice(0, 30)))).toBe(true)
    // The other columns are the shop's own data (names, numbers as written): only the reasons are words of ours.
    expect(foreignWords(reasons, lang)).toEqual([])

    // One blank left: the singular.
    await page.getByTestId('contacts-next').click()
    const option = page.getByTestId('template-select').locator('option', { hasText: 'promo_verano' })
    await option.waitFor({ state: 'attached' })
    await page.getByTestId('template-select').selectOption((await option.getAttribute('value')) ?? '')
    await page.getByTestId('slot-source-body:1').selectOption(user.name)
    await page.getByText(t.template.missing_one).waitFor()
    await readScreen('05-template-one-blank')
    await page.getByTestId('slot-source-body:2').selectOption(user.offer)

    await page.getByTestId('template-next').click()
    await page.getByTestId('pacing').locator('input[value=custom]').check()
    await page.getByTestId('pacing-interval').fill('0.02')
    await page.getByTestId('campaign-name').fill(CAMPAIGN)
    await page.getByTestId('estimate').waitFor()
    await readScreen('06-review')
    await page.getByTestId('start-campaign').click()
    await page.getByTestId('background-dialog').waitFor()
    await readScreen('07-background-dialog')
    await page.getByTestId('dialog-ok').click()

    const detail = page.locator('[data-testid=campaign-detail][data-status=completed]')
    await detail.waitFor({ timeout: 60_000 })
    await page.getByTestId('recipient-row').first().waitFor()
    expect(await detail.locator('[data-testid=count-success] dt').innerText()).toBe(t.monitor.count.success)
    await readScreen('08-campaign-detail')

    await page.getByTestId('nav-monitor').click()
    await page.locator('[data-testid=campaign-card]', { hasText: CAMPAIGN }).waitFor()
    await readScreen('09-monitor')
    await page.getByTestId('nav-optouts').click()
    await page.getByTestId('optouts-empty').waitFor()
    await readScreen('10-opted-out')
    await page.getByTestId('nav-settings').click()
    await page.getByTestId('language-select').waitFor()
    await readScreen('11-settings')

    const mixed = [...screens].flatMap(([screen, texts]) => foreignWords(texts, lang).map((f) => `${screen}: «${f.word}» in «${f.where}»`))
    expect(mixed).toEqual([])
    // The page declares its language, and every part quoted in another one says which (axe: html-has-lang, valid-lang).
    for (const [screen, violations] of Object.entries(axeResults)) {
      const languageRules = (violations as { id: string }[]).filter((v) => ['html-has-lang', 'html-lang-valid', 'valid-lang'].includes(v.id))
      expect(languageRules, screen).toEqual([])
    }
    // The only console error is the refused field's 400, asked for above.
    expect(consoleErrors.filter((e) => !e.includes('400 (Bad Request)'))).toEqual([])
  }, 180_000)

  it('writes the three reports in the user’s language, at the user’s clock, with the import summarised', async () => {
    const [campaign] = (await rpc('campaigns.list', { limit: 5 })).filter((c) => c.campaignName === CAMPAIGN)
    expect(campaign.importSummary?.rows).toBe(300)
    const w = words(lang)
    await page.getByTestId('nav-monitor').click()
    await page.locator('[data-testid=campaign-card]', { hasText: CAMPAIGN }).getByTestId('open-detail').click()
    await page.locator('[data-testid=campaign-detail][data-status=completed]').waitFor()

    const pdf = await download('export-pdf')
    const pdfFile = path.join(await mkdtemp(path.join(tmpdir(), 'pregon-e2e-pdf-')), pdf.name)
    await writeFile(pdfFile, pdf.bytes)
    const pdfText = execFileSync('pdftotext', ['-layout', pdfFile, '-'], { encoding: 'utf8' })
    const generatedAt = Date.now()
    expect(pdfText).toContain(`${w.timeZone} ${user.timezoneId}`)
    // "Report generated: 2026-12-03 03:15:09": the user's clock, not the server's UTC.
    const printed = new RegExp(`${w.generatedAt}: (\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2})`).exec(pdfText)?.[1]
    expect([wallClock(generatedAt), wallClock(generatedAt - 60_000)]).toContain(printed)
    expect(pdfText).toContain(w.importTitle)
    expect(pdfText).toContain(path.basename(files.csv))
    expect(pdfText).toContain(`${importReasonLabel('scientific_notation', lang)}:`)
    expect(pdfText).toContain(`Demo (${w.simulated})`)
    const pdfLines = pdfText.split('\n').filter((line) => !line.includes(w.metaMessage))
    expect(foreignWords(pdfLines, lang)).toEqual([])

    const xlsx = await download('export-xlsx')
    const workbook = new ExcelJS.Workbook()
    await workbook.xlsx.load(xlsx.bytes as unknown as ArrayBuffer)
    const cells: string[] = []
    workbook.eachSheet((sheet) => {
      cells.push(sheet.name)
      const skip = new Set<number>()
      sheet.getRow(1).eachCell((cell, column) => {
        if ([w.wamid, w.metaMessage, w.number].includes(String(cell.value))) skip.add(column)
      })
      sheet.eachRow((row) => row.eachCell((cell, column) => void (skip.has(column) || cell.value instanceof Date || cells.push(String(cell.value)))))
    })
    expect(cells).toContain(user.timezoneId)
    expect(cells).toContain(`${w.importTitle}: ${w.importRows}`)
    expect(foreignWords(cells, lang)).toEqual([])

    const csv = await download('export-csv')
    const rows = Papa.parse<Record<string, string>>(csv.bytes.toString('utf8').replace(/^\uFEFF/, ''), { header: true, skipEmptyLines: true }).data
    const firstSent = rows.map((row) => row[w.sentAt]).filter(Boolean).sort()[0]
    const started = Date.parse(campaign.startedAt ?? '')
    expect([wallClock(started), wallClock(started + 60_000)]).toContain(firstSent.slice(0, 16))
    const words_ = rows.flatMap((row) => Object.entries(row).filter(([column]) => column !== w.wamid && column !== w.number).map(([, value]) => value))
    expect(foreignWords([...Object.keys(rows[0]), ...words_], lang)).toEqual([])
    await shot('12-reports')

    // A zone that is not one is refused, naming the parameter, rather than printed in the server's zone.
    const refused = await fetch(`${serve.origin}/api/campaigns/${campaign.id}/report.csv?lang=${lang}&tz=Mars%2FOlympus`, {
      headers: { authorization: `Bearer ${serve.key}` },
    })
    expect(refused.status).toBe(400)
    expect(((await refused.json()) as { error: { message: string } }).error.message).toMatch(/^tz: .*IANA/)
  }, 90_000)

  it('keeps the header on one row at 1024 px, lights Monitor only when open, never calls a cancelled campaign 100 %, and can follow this computer again', async () => {
    await page.setViewportSize({ width: 1024, height: 768 })
    await page.getByTestId('nav-settings').click()
    const boxes = await page.locator('.topbar button').evaluateAll((buttons) =>
      buttons.map((b) => ({ top: Math.round(b.getBoundingClientRect().top), left: b.getBoundingClientRect().left, right: b.getBoundingClientRect().right, clipped: b.scrollWidth > b.clientWidth + 1 })),
    )
    const tops = boxes.map((box) => box.top)
    expect(Math.max(...tops) - Math.min(...tops)).toBeLessThanOrEqual(8)
    // One row and nothing cut or covered: each button ends before the next begins.
    expect(boxes.filter((box) => box.clipped)).toEqual([])
    boxes.slice(1).forEach((box, i) => expect(box.left).toBeGreaterThanOrEqual(boxes[i].right - 1))
    expect(await page.getByTestId('nav-monitor').getAttribute('aria-current')).toBeNull()
    expect(await page.getByTestId('nav-monitor').getAttribute('class')).not.toContain('button--on')
    await shot('13-header-1024')

    // Pick a language, then go back to following this computer.
    await page.getByTestId('language-select').selectOption(lang === 'es' ? 'en' : 'es')
    await page.waitForFunction((l) => document.documentElement.lang !== l, lang)
    await page.getByTestId('language-select').selectOption('')
    await page.waitForFunction((l) => document.documentElement.lang === l, lang)
    expect((await rpc('settings.get', undefined)).language).toBeNull()
    expect(await page.getByTestId('language-select').locator('option[value=""]').innerText()).toBe(t.settings.languageAuto)

    // A slow campaign cancelled early: its bar shows what was sent of the list, not 100 %.
    const account = (await rpc('accounts.list', undefined))[0]
    const contacts = Array.from({ length: 40 }, (_, i) => ({ numero: `+5730055501${String(i).padStart(2, '0')}`, Nombre: `Cliente ${i}` }))
    const slow = await rpc('campaigns.create', {
      contacts, template: { name: 'hello_world', language: 'en_US' }, campaignName: 'Lenta', accountId: account.id, pacing: { kind: 'custom', intervalMs: 1_000 },
    })
    await page.getByTestId('nav-monitor').click()
    expect(await page.getByTestId('nav-monitor').getAttribute('aria-current')).toBe('page')
    const card = page.locator('[data-testid=campaign-card]', { hasText: 'Lenta' })
    await card.getByTestId('cancel').click()
    await card.getByTestId('cancel-confirm').click()
    await page.locator('[data-testid=campaign-card][data-status=cancelled]', { hasText: 'Lenta' }).waitFor()
    const sent = (await rpc('campaigns.get', { id: slow.campaignId })).processed
    expect(sent).toBeLessThan(40)
    const percent = String(Math.round((sent / 40) * 100))
    expect(await card.getByTestId('progress').getAttribute('aria-valuenow')).toBe(percent)
    expect(await card.locator('[data-testid=count-pending] dd').innerText()).toBe('0')
    await shot('14-cancelled')
    // Read back from the server (skipped rows counted), it still says what was sent of the list.
    await page.reload()
    await card.waitFor()
    expect(await card.getByTestId('progress').getAttribute('aria-valuenow')).toBe(percent)
  }, 90_000)
})
