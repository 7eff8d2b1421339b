// The crash test: the engine in a child process is SIGKILLed at ≥ 20 random moments of a 5,000-recipient
// campaign and restarted each time. In the end every row is terminal, the simulator saw no recipient
// twice, and the campaign's counters equal its ledger. With Meta's status webhooks flowing, the rows
// left uncertain by the kills are all settled too: by their status, or sent once after the window.

import { spawn, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { Store } from '../../src/main/store/ports'
import { createSecretBox } from '../../src/main/store/secrets'
import { openSqliteStore } from '../../src/main/store/sqlite'
import { parseWebhook } from '../../src/main/whatsapp/webhook'
import { DEFAULT_PHONE_NUMBERS, startSimulator, type Simulator } from '../../src/sim'
import { addAccount, createCampaign, recipients } from '../unit/engine/support'

const CHILD = join(__dirname, '../unit/engine/crashChild.ts')
const KILLS = 22
const RECIPIENTS = 5_000

const cleanups: (() => Promise<void> | void)[] = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

function spawnEngine(dataDir: string, simUrl: string, campaignId: string, key: Buffer, env: Record<string, string> = {}): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', CHILD, dataDir, simUrl, campaignId], {
    cwd: join(__dirname, '../..'),
    env: { ...process.env, PREGON_TEST_KEY: key.toString('hex'), ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  })
}

/**
 * Meta's status webhooks, applied to the ledger by this (parent) process — a second process sharing the
 * database, as the webhook intake of `pregon serve` may be — while the engine is killed and restarted.
 */
async function statusReceiver(store: Store): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => {
      const { statuses } = parseWebhook(JSON.parse(Buffer.concat(chunks).toString('utf8')))
      void store.ledger.applyStatuses(statuses).then(
        () => res.writeHead(200).end(),
        () => res.writeHead(500).end(),
      )
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhook`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  }
}

/** Starts the engine `kills` times, each killed at a random moment (sometimes during recovery, mostly mid-send). */
async function killRepeatedly(kills: number, spawnOne: () => ChildProcess): Promise<number> {
  let done = 0
  for (; done < kills; done += 1) {
    const child = spawnOne()
    cleanups.push(() => killed(child))
    expect(await lineStartingWith(child, 'started')).toBe('started')
    await new Promise((r) => setTimeout(r, Math.floor(Math.random() * 700)))
    await killed(child)
  }
  return done
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

      const kills = await killRepeatedly(KILLS, () => spawnEngine(dataDir, sim.url, campaign.id, key))

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

  it(
    'with status webhooks flowing, settles every row the kills left uncertain: by its status, or sent once after the window',
    async () => {
      const dataDir = mkdtempSync(join(tmpdir(), 'pregon-crash-webhooks-'))
      const key = randomBytes(32)
      cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }))
      const store = openSqliteStore({ dataDir, secrets: createSecretBox(key) })
      cleanups.push(() => store.close())
      const receiver = await statusReceiver(store)
      cleanups.push(() => receiver.close())
      const sim: Simulator = await startSimulator({
        seed: 6,
        latencyMs: { min: 0, max: 8 },
        phoneNumbers: [{ ...DEFAULT_PHONE_NUMBERS[0], mps: 1_000 }],
        webhook: { url: receiver.url, appSecret: 'crash-test', statuses: true, deliverDelayMs: 50 },
      })
      cleanups.push(() => sim.stop())
      const account = await addAccount(store, { graphUrl: sim.url, mps: 200 })
      const campaign = await createCampaign(store, account, recipients(2_000), { pacing: { kind: 'standard' } })

      const env = { PREGON_TEST_UNCERTAIN_WINDOW_MS: '3000' }
      const kills = await killRepeatedly(10, () => spawnEngine(dataDir, sim.url, campaign.id, key, env))
      const last = spawnEngine(dataDir, sim.url, campaign.id, key, env)
      cleanups.push(() => killed(last))
      expect(await lineStartingWith(last, 'finished')).toBe('finished completed')
      await sim.flushWebhooks()

      const rows = await store.ledger.stateCounts(campaign.id)
      expect(rows.uncertain).toBe(0)
      expect(rows.queued + rows.sending + rows.retry_wait).toBe(0)
      expect(rows.sent + rows.delivered + rows.read).toBe(2_000)
      const perRecipient = sim.requestsByRecipient()
      expect(perRecipient.size).toBe(2_000)
      expect([...perRecipient.values()].every((n) => n === 1)).toBe(true)
      const settled = { status: 0, no_status: 0 }
      for await (const batch of store.ledger.iterate(campaign.id, 500)) {
        for (const row of batch) if (row.resolution === 'status' || row.resolution === 'no_status') settled[row.resolution] += 1
      }
      console.info(`crash test with webhooks: ${kills} kills, settled by status ${settled.status}, sent after no status ${settled.no_status}`)
      expect(settled.status + settled.no_status).toBeGreaterThan(0)
    },
    240_000,
  )
})
