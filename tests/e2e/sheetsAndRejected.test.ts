// Issue 11, points 2 and 3, in real Chromium against `pregon serve --demo`, in Spanish and in English:
// a workbook whose first sheet is a summary is read from the sheet that has the phones (and a sheet without
// them says so in the UI's language, with the picker at hand); the rejected rows of a Spanish Excel's CSV
// download with every original column plus the reason, as `;` Windows-1252 with the numbers as written,
// and the fixed file imports cleanly. Screenshots and axe results in tests/e2e/screenshots/.

import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import iconv from 'iconv-lite'
import Papa from 'papaparse'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { chromium, type Browser, type Page } from 'playwright-core'
import { SHOP_EXPECTED, WORKBOOK_LIST_ROWS, buildShopFixtures, excelSpanishCsv, type ShopFixtures } from '../fixtures/shop/build'
import { startDemoServe, type DemoServe } from './harness'
import { axe, blocking, openIn, rpc, shot, useDemoAccount, type Lang } from './preflightHelpers'

let serve: DemoServe
let browser: Browser
let fixtures: ShopFixtures
let dir: string

const WORDS = {
  en: {
    picked: 'The first sheet (“Resumen”) has no phone numbers, so the sheet “Clientes” was read.',
    noPhones: 'The sheet "Resumen" has no column with phone numbers. Choose the sheet with your customers (this workbook has: Resumen, Clientes, Notas).',
    header: ['Cliente', 'Celular', 'Ciudad', 'Oferta', 'Reason'],
    scientific: 'Excel turned this number into scientific notation',
    duplicate: 'The same number is already in the list (row 4)',
  },
  es: {
    picked: 'La primera hoja («Resumen») no tiene números de teléfono, así que se leyó la hoja «Clientes».',
    noPhones: 'La hoja "Resumen" no tiene una columna con números de teléfono. Elige la hoja con tus clientes (este libro tiene: Resumen, Clientes, Notas).',
    header: ['Cliente', 'Celular', 'Ciudad', 'Oferta', 'Motivo'],
    scientific: 'Excel convirtió este número a notación científica',
    duplicate: 'El mismo número ya está en la lista (fila 4)',
  },
} as const

const stat = (page: Page, id: string) => page.locator(`[data-testid=${id}] .stat__value`).innerText()

beforeAll(async () => {
  serve = await startDemoServe('pregon-e2e-sheets-')
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'],
  })
  dir = await mkdtemp(path.join(tmpdir(), 'pregon-e2e-sheets-'))
  fixtures = await buildShopFixtures(dir)
  await rpc(serve, 'accounts.addDemo', undefined)
}, 120_000)

afterAll(async () => {
  await browser?.close()
  await serve?.stop()
  if (dir) await rm(dir, { recursive: true, force: true })
})

describe.each(['es', 'en'] as Lang[])('importing a shop owner’s real files (%s)', (lang) => {
  const words = WORDS[lang]

  it('reads the sheet that has the phones, and says in the UI’s language when a chosen sheet has none', async () => {
    const { context, page, consoleErrors } = await openIn(browser, lang)
    try {
      await page.goto(serve.demoUrl)
      await useDemoAccount(page)
      await page.getByTestId('file-input').setInputFiles(fixtures.workbook)
      await page.getByTestId('import-summary').waitFor()
      expect(await page.getByTestId('sheet-picked').innerText()).toBe(words.picked)
      expect(await page.getByTestId('sheet').inputValue()).toBe('Clientes')
      expect(await stat(page, 'summary-valid')).toBe(String(WORKBOOK_LIST_ROWS))
      expect(await page.getByTestId('phone-column').inputValue()).toBe('Celular')
      await shot(page, `sheets-${lang}-1-picked`)
      expect(blocking(await axe(page, `sheets-${lang}-1-picked`))).toEqual([])

      // The owner picks the summary anyway: the reason, in this language, naming this workbook's sheets.
      await page.getByTestId('sheet').selectOption('Resumen')
      const error = page.getByTestId('contacts-error')
      await error.waitFor()
      expect(await error.innerText()).toBe(`clientes-con-resumen.xlsx: ${words.noPhones}`)
      expect(await page.getByTestId('import-summary').count()).toBe(0)
      await shot(page, `sheets-${lang}-2-no-phones`)
      expect(blocking(await axe(page, `sheets-${lang}-2-no-phones`))).toEqual([])

      // The picker is right there to go back.
      await page.getByTestId('sheet').selectOption('Clientes')
      await page.getByTestId('import-summary').waitFor()
      expect(await stat(page, 'summary-valid')).toBe(String(WORKBOOK_LIST_ROWS))
      expect(await error.count()).toBe(0)
      // The one refused import answered 400; Chromium logs it.
      expect(consoleErrors).toEqual(['Failed to load resource: the server responded with a status of 400 (Bad Request)'])
    } finally {
      await context.close()
    }
  }, 120_000)

  it('downloads the rejected rows like the file that came in, and the fixed file imports cleanly', async () => {
    const { context, page, consoleErrors } = await openIn(browser, lang)
    try {
      await page.goto(serve.demoUrl)
      await useDemoAccount(page)
      await page.getByTestId('file-input').setInputFiles(fixtures.csv)
      await page.getByTestId('rejected-table').waitFor()
      const rejectedCount = SHOP_EXPECTED.rejected + SHOP_EXPECTED.duplicates
      expect(await stat(page, 'summary-invalid')).toBe(String(SHOP_EXPECTED.rejected))

      const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-rejected').click()])
      expect(download.suggestedFilename()).toBe('clientes-tienda-rejected.csv')
      const bytes = await readFile(await download.path())
      await shot(page, `rejected-${lang}-1-download`)
      expect(blocking(await axe(page, `rejected-${lang}-1-download`))).toEqual([])

      // Windows-1252 like the original: accents are single bytes, no UTF-8 sequences, no BOM.
      expect(bytes.subarray(0, 3).equals(Buffer.from([0xef, 0xbb, 0xbf]))).toBe(false)
      expect(bytes.includes(0xc3)).toBe(false)
      const text = iconv.decode(bytes, 'windows-1252')
      const rows = Papa.parse<string[]>(text.trimEnd(), { delimiter: ';' }).data
      expect(rows[0]).toEqual(words.header)
      expect(rows).toHaveLength(1 + rejectedCount)
      for (const row of rows) {
        expect(row).toHaveLength(5)
        for (const cell of row) expect(cell.startsWith("'")).toBe(false)
      }
      expect(text).toMatch(/[áéíóúñÁÉÍÓÚÑ]/)
      const scientific = rows.filter((row) => row[1] === '3.00123E+09')
      expect(scientific).toHaveLength(6)
      expect(scientific[0][4]).toContain(words.scientific)
      expect(rows.find((row) => row[4].includes(words.duplicate))?.[1]).toBe('3001023757')
      expect(rows.filter((row) => row[1] === '')).toHaveLength(2)

      // The owner fixes the numbers in Excel and saves it the same way; it imports with nothing refused.
      const fixed = rows.map((row, i) => (i === 0 ? row : [row[0], `310 555 ${String(1000 + i).padStart(4, '0')}`, ...row.slice(2)]))
      await page.getByTestId('file-input').setInputFiles({ name: 'clientes-corregidos.csv', mimeType: 'text/csv', buffer: excelSpanishCsv(fixed) })
      await page.waitForFunction((n) => document.querySelector('[data-testid=summary-rows] .stat__value')?.textContent === String(n), rejectedCount)
      expect(await stat(page, 'summary-valid')).toBe(String(rejectedCount))
      expect(await stat(page, 'summary-invalid')).toBe('0')
      expect(await stat(page, 'summary-duplicates')).toBe('0')
      expect(await page.getByTestId('rejected-table').count()).toBe(0)
      expect(await page.getByTestId('name-column').inputValue()).toBe('Cliente')
      await shot(page, `rejected-${lang}-2-reimported`)
      expect(consoleErrors).toEqual([])
    } finally {
      await context.close()
    }
  }, 120_000)
})
