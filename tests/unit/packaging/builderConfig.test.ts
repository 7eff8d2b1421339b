// electron-builder.yml checked by electron-builder's own loader, schema and file matchers, against the
// files `npm run build` leaves in out/ and the icons in resources/ (run `npm run build` first).

import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { appFileFilter, asarUnpackFilter, listFiles, loadConfig, projectDir, validate, type BuilderConfig } from './electronBuilder'

let config: BuilderConfig

beforeAll(async () => {
  config = await loadConfig()
})

describe('the electron-builder configuration', () => {
  it('passes electron-builder’s own schema validation', async () => {
    await expect(validate(config)).resolves.toBeUndefined()
  })

  it('is refused by that validation when an option is misspelt, so the check above means something', async () => {
    await expect(validate({ ...config, nsis: { ...config.nsis, oneclick: true } })).rejects.toThrow(/configuration\.nsis/)
  })

  it('names the app Pregón and builds NSIS, dmg + zip, AppImage and deb', () => {
    expect(config.productName).toBe('Pregón')
    expect(config.win.target.map((t) => t.target)).toEqual(['nsis'])
    expect(config.mac.target.map((t) => t.target)).toEqual(['dmg', 'zip'])
    expect(config.linux.target).toEqual(['AppImage', 'deb'])
  })

  it('installs per user on Windows with a desktop shortcut and an uninstaller that keeps the data unless asked', () => {
    expect(config.nsis).toMatchObject({ perMachine: false, createDesktopShortcut: 'always', deleteAppDataOnUninstall: false })
    const script = readFileSync(join(projectDir, String(config.nsis.include)), 'utf8')
    expect(script).toMatch(/!macro customUnInstall[\s\S]*\$\{ifNot\} \$\{isUpdated\}[\s\S]*MessageBox MB_YESNO[\s\S]*\/SD IDNO[\s\S]*RMDir \/r "\$APPDATA\\pregon"/)
  })

  it('keeps the data folder named after package.json, where the desktop app and the CLI look', () => {
    const pkg = JSON.parse(readFileSync(join(projectDir, 'package.json'), 'utf8')) as { name: string; productName?: string }
    expect(pkg.name).toBe('pregon')
    expect(pkg.productName).toBeUndefined()
  })

  it('signs macOS builds with the hardened runtime and entitlements ready for notarisation', () => {
    expect(config.mac.hardenedRuntime).toBe(true)
    expect(readFileSync(join(projectDir, config.mac.entitlements), 'utf8')).toContain('com.apple.security.cs.allow-jit')
  })

  it('offers “Open with Pregón” for .csv and .xlsx without becoming their default program', () => {
    expect(config.mac.fileAssociations.map((a) => [a.ext, a.rank])).toEqual([['csv', 'Alternate'], ['xlsx', 'Alternate']])
    expect(config.linux.fileAssociations.map((a) => a.ext)).toEqual(['csv', 'xlsx'])
    expect(config.win.fileAssociations).toBeUndefined()
    const script = readFileSync(join(projectDir, String(config.nsis.include)), 'utf8')
    expect(script).toContain('!insertmacro pregonOpenWith "csv"')
    expect(script).toContain('!insertmacro pregonOpenWith "xlsx"')
  })

  it('rebuilds native modules for Electron while packaging, from prebuilt binaries', () => {
    expect(config.npmRebuild).toBe(true)
    expect(config.buildDependenciesFromSource).toBe(false)
  })

  it('points every platform at an icon generated into resources/', () => {
    for (const icon of [config.win.icon, config.mac.icon, join(config.linux.icon, '512x512.png'), join(config.linux.icon, '256x256.png')]) {
      expect(existsSync(join(projectDir, icon)), icon).toBe(true)
    }
  })
})

describe('the files the packaged app is made of', () => {
  beforeAll(() => {
    if (!existsSync(join(projectDir, 'out/main/index.js'))) throw new Error('out/ is missing: run `npm run build` before these tests')
  })

  it('include everything the build writes for the main process, the preload and the renderer', () => {
    const included = appFileFilter(config)
    const needed = [...listFiles('out/main'), ...listFiles('out/preload'), ...listFiles('out/renderer')].filter((f) => !f.endsWith('.map'))
    expect(needed.length).toBeGreaterThan(3)
    expect(needed.filter((f) => !included(f))).toEqual([])
  })

  it('include the tray and window icons although resources/ is also the build-resources folder', () => {
    const included = appFileFilter(config)
    const icons = [...listFiles('resources/tray'), ...listFiles('resources/icons')].filter((f) => f.endsWith('.png'))
    expect(icons).toContain('resources/tray/sending.png')
    expect(icons.filter((f) => !included(f))).toEqual([])
  })

  it('leave out sources, tests, the CLI bundle, source maps and the installer-only resources', () => {
    const included = appFileFilter(config)
    const outside = [
      'src/main/index.ts',
      'tests/unit/packaging/builderConfig.test.ts',
      'out/cli/index.js',
      'resources/icon.png',
      'resources/installer.nsh',
      'resources/tray/generate.mjs',
      'electron-builder.yml',
      ...listFiles('out/main').filter((f) => f.endsWith('.map')),
    ]
    expect(outside.filter((f) => included(f))).toEqual([])
  })

  it('unpack exactly better-sqlite3’s native binding out of the asar archive', () => {
    const unpacked = asarUnpackFilter(config)
    const moduleFiles = listFiles('node_modules/better-sqlite3')
    expect(moduleFiles.filter((f) => unpacked(f))).toEqual(['node_modules/better-sqlite3/build/Release/better_sqlite3.node'])
  })
})
