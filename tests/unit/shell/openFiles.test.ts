import { join, resolve } from 'node:path'
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { describe, expect, it } from 'vitest'
import { OpenFileInbox, fileToOpen, type OpenFilePayload } from '../../../src/main/shell/openFiles'
import { sqliteNativeBinding, updateFeedConfigured, SQLITE_BINDING_IN_APP } from '../../../src/main/shell/packaged'

describe('“Open with Pregón”', () => {
  it('takes the spreadsheet from the launch arguments, resolved against the launch folder', () => {
    expect(fileToOpen(['C:\\Pregon\\Pregon.exe', 'clientes.csv'], '/home/ana')).toBe(resolve('/home/ana', 'clientes.csv'))
    expect(fileToOpen(['/opt/Pregon/pregon', '--no-sandbox', '/tmp/Lista Mayo.XLSX'], '/')).toBe('/tmp/Lista Mayo.XLSX')
  })

  it('ignores the executable, flags, the app folder and files the importer cannot read', () => {
    expect(fileToOpen(['/usr/bin/electron', '.', '--hidden'], '/w')).toBeNull()
    expect(fileToOpen(['/usr/bin/electron', 'out/main/index.js'], '/w')).toBeNull()
    expect(fileToOpen(['pregon', 'foto.png', 'notes.docx'], '/w')).toBeNull()
    expect(fileToOpen(['clientes.csv'], '/w')).toBeNull()
  })

  it('keeps a file that arrives before the window listens, and hands it over once the page is ready', () => {
    const delivered: OpenFilePayload[] = []
    const inbox = new OpenFileInbox((p) => delivered.push(p))
    inbox.receive('/data/clientes.csv')
    expect(delivered).toEqual([])
    inbox.rendererReady()
    expect(delivered).toEqual([{ path: '/data/clientes.csv', fileName: 'clientes.csv' }])
    inbox.rendererReady()
    expect(delivered).toHaveLength(1)
  })

  it('delivers at once while the page listens, holds during a reload, and keeps only the latest file', () => {
    const delivered: string[] = []
    const inbox = new OpenFileInbox((p) => delivered.push(p.fileName))
    inbox.rendererReady()
    inbox.receive('/a/uno.csv')
    inbox.rendererGone()
    inbox.receive('/a/dos.csv')
    inbox.receive('/a/tres.xlsx')
    inbox.rendererReady()
    expect(delivered).toEqual(['uno.csv', 'tres.xlsx'])
  })
})

describe('the packaged layout', () => {
  it('loads SQLite’s binding from app.asar.unpacked in a packaged app, and lets a clone find its own build', () => {
    const resources = mkdtempSync(join(tmpdir(), 'pregon-resources-'))
    const binding = join(resources, 'app.asar.unpacked', ...SQLITE_BINDING_IN_APP)
    expect(sqliteNativeBinding({ isPackaged: true }, resources)).toBeUndefined()
    mkdirSync(join(binding, '..'), { recursive: true })
    writeFileSync(binding, '')
    expect(sqliteNativeBinding({ isPackaged: true }, resources)).toBe(binding)
    expect(sqliteNativeBinding({ isPackaged: false }, resources)).toBeUndefined()
  })

  it('knows a build has an update feed when electron-builder wrote app-update.yml', () => {
    const resources = mkdtempSync(join(tmpdir(), 'pregon-resources-'))
    expect(updateFeedConfigured(resources)).toBe(false)
    writeFileSync(join(resources, 'app-update.yml'), 'provider: generic\nurl: https://downloads.example.com/pregon\n')
    expect(updateFeedConfigured(resources)).toBe(true)
  })
})
