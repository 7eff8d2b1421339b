// A campaign is created from a stream: `pregon send` fills a draft batch by batch and seals it at the
// end. Killed (SIGKILL) halfway through, it leaves rows on disk that nothing may ever send; the next
// start removes them. Real processes, a real pregon.db, the simulator over HTTP.

import { execFile, spawn } from 'node:child_process'
import { createWriteStream, rmSync } from 'node:fs'
import { once } from 'node:events'
import path from 'node:path'
import { promisify } from 'node:util'
// eslint-disable-next-line no-restricted-imports -- the test looks at the file the killed process left
import Database from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startSimulator, type Simulator } from '../../src/sim'
import { readStore, startServe, tempDir, waitFor } from './httpHarness'

const PREGON = path.resolve(__dirname, '../../bin/pregon.js')
const TOKEN = 'sim-token-streamed-create'
const ROWS = 60_000

let sim: Simulator
let dataDir: string

async function writeCsv(file: string, rows: number): Promise<void> {
  const out = createWriteStream(file)
  out.write('Nombre,Celular\n')
  for (let i = 0; i < rows; i += 1_000) {
    const chunk = Array.from({ length: Math.min(1_000, rows - i) }, (_, j) => `Cliente ${i + j},300${String(i + j).padStart(7, '0')}\n`).join('')
    if (!out.write(chunk)) await once(out, 'drain')
  }
  out.end()
  await once(out, 'finish')
}

/** What the file holds, read without the store (which would hide a draft). */
function onDisk(): { campaigns: { status: string; contacts_count: number }[]; recipients: number } {
  const db = new Database(path.join(dataDir, 'pregon.db'), { readonly: true })
  try {
    return {
      campaigns: db.prepare('SELECT status, contacts_count FROM campaigns').all() as { status: string; contacts_count: number }[],
      recipients: db.prepare('SELECT count(*) FROM recipients').pluck().get() as number,
    }
  } finally {
    db.close()
  }
}

beforeAll(async () => {
  sim = await startSimulator({ accessTokens: [TOKEN] })
  dataDir = tempDir('streamed-create')
  await promisify(execFile)(process.execPath, [
    PREGON, 'accounts', 'add', '--data-dir', dataDir, '--graph-url', sim.url,
    '--phone-number-id', '100000000000001', '--waba-id', '200000000000001', '--token', TOKEN,
  ])
  await writeCsv(path.join(dataDir, 'contacts.csv'), ROWS)
})

afterAll(async () => {
  await sim?.stop()
  if (dataDir) rmSync(dataDir, { recursive: true, force: true })
})

describe('a pregon send killed while it creates the campaign', () => {
  it('leaves a draft nobody sees or sends, and the next start removes it with its rows', async () => {
    const send = spawn(process.execPath, [
      PREGON, 'send', '--data-dir', dataDir, '--graph-url', sim.url, '--contacts', path.join(dataDir, 'contacts.csv'),
      '--template', 'hello_world', '--lang', 'en_US', '--pacing', 'off',
    ], { stdio: 'ignore' })
    const exited = once(send, 'exit')
    // Killed once some batches of the draft are on disk, before its last one.
    const halfway = await waitFor('part of the draft on disk', async () => {
      const disk = onDisk()
      return disk.campaigns.length === 1 && disk.recipients > 0 && disk.recipients < ROWS ? disk : null
    }, 60_000)
    send.kill('SIGKILL')
    await exited
    expect(halfway.campaigns[0].status).toBe('draft')
    const left = onDisk()
    expect(left.recipients).toBeGreaterThan(0)
    expect(left.recipients).toBeLessThan(ROWS)

    // Another process opening the file without sending sees no campaign at all.
    expect(await readStore(dataDir, (store) => store.campaigns.listByStatus(['pending', 'processing', 'scheduled', 'paused']))).toEqual([])

    // The next process that sends removes what the crash left; nothing reached WhatsApp.
    const serve = await startServe({ dataDir, graphUrl: sim.url })
    try {
      expect(onDisk()).toEqual({ campaigns: [], recipients: 0 })
    } finally {
      await serve.stop()
    }
    expect(sim.sentMessages.size).toBe(0)
  }, 120_000)
})
