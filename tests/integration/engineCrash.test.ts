// The crash test: the engine in a child process is SIGKILLed at ≥ 20 random moments of a 5,000-recipient
// campaign and restarted each time. In the end every row is terminal, the simulator saw no recipient
// twice, and the campaign's counters equal its ledger.

import { spawn, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { createSecretBox } from '../../src/main/store/secrets'
import { openSqliteStore } from '../../src/main/store/sqlite'
import { DEFAULT_PHONE_NUMBERS, startSimulator, type Simulator } from '../../src/sim'
import { addAccount, createCampaign, recipients } from '../unit/engine/support'

const CHILD = join(__dirname, '../unit/engine/crashChild.ts')
const KILLS = 22
const RECIPIENTS = 5_000

const cleanups: (() => Promise<void> | void)[] = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

function spawnEngine(dataDir: string, simUrl: string, campaignId: string, key: Buffer): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', CHILD, dataDir, simUrl, campaignId], {
    cwd: join(__dirname, '../..'),
    env: { ...process.env, PREGON_TEST_KEY: key.toString('hex') },
    stdio: ['ignore', 'pipe', 'inherit'],
  })
}

/** Resolves with the first stdout line that starts with `prefix`, or null if the child exits first. */
function lineStartingWith(child: ChildProcess, prefix: string): Promise<string | null> {
  return new Promise((resolve) => {
    let buffered = ''
    child.stdout?.on('data', (chunk: Buffer) => {
      buffered += chunk.toString()
      const line = buffered.split('\n').find((l) => l.startsWith(prefix))
      if (line) resolve(line)
    })
    child.on('exit', () => resolve(null))
  })
}

function killed(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve()
    child.on('exit', () => resolve())
    child.kill('SIGKILL')
  })
}

describe('the engine killed at random moments', () => {
  it(
    'ends with every recipient terminal, none sent twice, and counters equal to the ledger',
    async () => {
      const sim: Simulator = await startSimulator({ seed: 5, latencyMs: { min: 0, max: 8 }, phoneNumbers: [{ ...DEFAULT_PHONE_NUMBERS[0], mps: 1_000 }] })
      const dataDir = mkdtempSync(join(tmpdir(), 'pregon-crash-'))
      const key = randomBytes(32)
      cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }))
      cleanups.push(() => sim.stop())

      const setup = openSqliteStore({ dataDir, secrets: createSecretBox(key) })
      const account = await addAccount(setup, { graphUrl: sim.url, mps: 200 })
      const campaign = await createCampaign(setup, account, recipients(RECIPIENTS), { pacing: { kind: 'standard' } })
      await setup.close()

      let kills = 0
      for (; kills < KILLS; kills += 1) {
        const child = spawnEngine(dataDir, sim.url, campaign.id, key)
        cleanups.push(() => killed(child))
        const started = await lineStartingWith(child, 'started')
        expect(started).toBe('started')
        // A random moment of the run: sometimes right after start (during recovery), mostly mid-send.
        await new Promise((r) => setTimeout(r, Math.floor(Math.random() * 700)))
        await killed(child)
      }

      const last = spawnEngine(dataDir, sim.url, campaign.id, key)
      cleanups.push(() => killed(last))
      expect(await lineStartingWith(last, 'finished')).toBe('finished completed')

      const store = openSqliteStore({ dataDir, secrets: createSecretBox(key) })
      cleanups.push(() => store.close())
      const rows = await store.ledger.stateCounts(campaign.id)
      const done = await store.campaigns.get(campaign.id)
      expect(kills).toBeGreaterThanOrEqual(20)
      expect(rows.queued + rows.sending + rows.retry_wait).toBe(0)
      expect(rows.sent + rows.delivered + rows.read + rows.failed + rows.skipped + rows.uncertain).toBe(RECIPIENTS)
      const perRecipient = sim.requestsByRecipient()
      expect([...perRecipient.values()].every((n) => n === 1)).toBe(true)
      // Every request the simulator accepted is either recorded as sent or (killed in flight) uncertain.
      expect(perRecipient.size).toBeGreaterThanOrEqual(rows.sent)
      expect(perRecipient.size).toBeLessThanOrEqual(rows.sent + rows.uncertain)
      expect(done).toMatchObject({
        status: 'completed',
        successCount: rows.sent + rows.delivered + rows.read,
        failedCount: rows.failed,
        uncertainCount: rows.uncertain,
        skippedCount: rows.skipped,
        processed: rows.sent + rows.delivered + rows.read + rows.failed + rows.uncertain,
      })
      console.info(`crash test: ${kills} kills, ${rows.sent} sent, ${rows.uncertain} uncertain`)
    },
    240_000,
  )
})
