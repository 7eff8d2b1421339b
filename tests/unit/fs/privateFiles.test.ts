// The data folder's phones, names, tokens and logs are readable by their owner only: created so, and
// tightened at start when an older version (or a umask of 022) left them readable by everyone.

import { chmodSync, mkdirSync, mkdtempSync, readdirSync, statSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { createApp } from '../../../src/main/app'
import { createSecretBox, loadHeadlessKey } from '../../../src/main/store/secrets'
import { openSqliteStore } from '../../../src/main/store/sqlite'

const posix = process.platform !== 'win32'

const modeOf = (file: string): string => (statSync(file).mode & 0o777).toString(8)

/** Every folder and file under `dir` (the folder itself included) with its mode, e.g. `logs/pregon.1.log 600`. */
function modes(dir: string): Record<string, string> {
  const found: Record<string, string> = { '.': modeOf(dir) }
  const walk = (sub: string): void => {
    for (const name of readdirSync(path.join(dir, sub))) {
      const rel = path.join(sub, name)
      found[rel] = modeOf(path.join(dir, rel))
      if (statSync(path.join(dir, rel)).isDirectory()) walk(rel)
    }
  }
  walk('')
  return found
}

/** A run that leaves every kind of file behind: the key, the database and its WAL, a log line and an import draft. */
async function runOnce(dataDir: string): Promise<void> {
  const app = await createApp({ dataDir, secrets: createSecretBox(loadHeadlessKey(dataDir, {})), mode: 'desktop', simulatorUrl: null })
  try {
    app.log.warn('a line in the log file')
    const draft = await app.imports.create('local')
    await draft.write([{ numero: '+573001234567', Nombre: 'Ana' }])
    await draft.end()
    expect(readdirSync(dataDir)).toEqual(expect.arrayContaining(['pregon.db', 'pregon.db-wal', 'pregon.db-shm', 'secret.key', 'logs', 'imports']))
  } finally {
    await app.close()
  }
}

describe.runIf(posix)('the data folder', () => {
  it('is created 0700 with every file in it 0600, under a umask that would allow 0755/0644', async () => {
    const previous = process.umask(0o022)
    try {
      const dataDir = path.join(mkdtempSync(path.join(os.tmpdir(), 'pregon-private-')), 'new', 'pregon')
      await runOnce(dataDir)
      const found = modes(dataDir)
      const folders = Object.keys(found).filter((rel) => statSync(path.join(dataDir, rel)).isDirectory())
      expect(folders.sort()).toEqual(['.', 'imports', 'logs'])
      for (const [rel, mode] of Object.entries(found)) expect(`${rel} ${mode}`).toBe(`${rel} ${folders.includes(rel) ? '700' : '600'}`)
    } finally {
      process.umask(previous)
    }
  })

  it('is tightened at start when an older version left it and its files readable by others', async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'pregon-loose-'))
    // A connection left open keeps the -wal and -shm files there, as a crash of an older version would.
    const older = openSqliteStore({ dataDir, secrets: createSecretBox(Buffer.alloc(32)) })
    mkdirSync(path.join(dataDir, 'logs'))
    mkdirSync(path.join(dataDir, 'imports'))
    writeFileSync(path.join(dataDir, 'logs', 'pregon.1.log'), '{"msg":"old"}\n')
    writeFileSync(path.join(dataDir, 'imports', 'local.old.jsonl'), '{"numero":"+573001234567"}\n')
    // Not Pregón's: a data folder set to a shared place keeps other files as they are.
    writeFileSync(path.join(dataDir, 'notes.txt'), 'shared on purpose\n')
    chmodSync(path.join(dataDir, 'notes.txt'), 0o644)
    const loose = ['pregon.db', 'pregon.db-wal', 'pregon.db-shm', 'logs/pregon.1.log', 'imports/local.old.jsonl']
    for (const rel of ['.', 'logs', 'imports']) chmodSync(path.join(dataDir, rel), 0o755)
    for (const rel of loose) chmodSync(path.join(dataDir, rel), 0o644)

    const app = await createApp({ dataDir, secrets: createSecretBox(Buffer.alloc(32)), mode: 'desktop', simulatorUrl: null, startEngine: false })
    try {
      expect(modes(dataDir)).toMatchObject({
        '.': '700',
        logs: '700',
        imports: '700',
        ...Object.fromEntries(loose.map((rel) => [rel, '600'])),
        'notes.txt': '644',
      })
    } finally {
      await app.close()
      await older.close()
    }
  })
})
