// Two engines in two processes sending one campaign from one MongoDB database at the same time: each row
// is claimed by one of them only, so no recipient gets the message twice. Needs a real MongoDB
// (PREGON_TEST_MONGODB_URI): jongodb is too slow for two engines' worth of writes, and its transactions
// are not isolated between clients (a commit can undo another client's write), which mongod's are.
import { spawn, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { openMongoStore } from '../../src/main/store/mongo'
import { createSecretBox } from '../../src/main/store/secrets'
import { DEFAULT_PHONE_NUMBERS, startSimulator } from '../../src/sim'
import { withDatabase } from '../support/jongodb'
import { addAccount, createCampaign, recipients } from '../unit/engine/support'
import { waitFor } from './httpHarness'

const CHILD = join(__dirname, 'mongoCrashChild.ts')
const REAL_MONGODB = process.env.PREGON_TEST_MONGODB_URI
const RECIPIENTS = Number(process.env.PREGON_TEST_MONGODB_RACE_ROWS) || 5_000
/** `off` writes as on a standalone mongod; `auto` uses a replica set's transactions. */
const TRANSACTIONS = process.env.PREGON_TEST_MONGODB_TRANSACTIONS === 'off' ? 'off' : 'auto'

const cleanups: (() => Promise<void> | void)[] = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

describe('two engines sharing one MongoDB database', () => {
  it.skipIf(!REAL_MONGODB)(
    `never claim one row twice: ${RECIPIENTS.toLocaleString('en')} recipients, each sent once (needs PREGON_TEST_MONGODB_URI; skipped without it)`,
    async () => {
      const uri = withDatabase(REAL_MONGODB as string, `pregon_race_${randomBytes(4).toString('hex')}`)
      const sim = await startSimulator({ seed: 11, latencyMs: { min: 0, max: 8 }, phoneNumbers: [{ ...DEFAULT_PHONE_NUMBERS[0], mps: 1_000 }] })
      cleanups.push(() => sim.stop())
      const key = randomBytes(32)
      const store = await openMongoStore({ uri, secrets: createSecretBox(key), transactions: TRANSACTIONS })
      cleanups.push(() => store.close())
      const account = await addAccount(store, { graphUrl: sim.url, mps: 500 })
      const campaign = await createCampaign(store, account, recipients(RECIPIENTS), { pacing: { kind: 'standard' } })

      const claimed = [0, 0]
      const engines: ChildProcess[] = [0, 1].map((i) => {
        const child = spawn(process.execPath, ['--import', 'tsx', CHILD, uri, sim.url, campaign.id, TRANSACTIONS], {
          cwd: join(__dirname, '../..'),
          env: { ...process.env, PREGON_TEST_KEY: key.toString('hex'), PREGON_TEST_REPORT_CLAIMS: '1' },
          stdio: ['ignore', 'pipe', 'inherit'],
        })
        child.stdout?.on('data', (chunk: Buffer) => {
          for (const match of chunk.toString().matchAll(/claimed (\d+)/g)) claimed[i] = Number(match[1])
        })
        cleanups.push(
          () =>
            new Promise<void>((resolve) => {
              if (child.exitCode !== null || child.signalCode !== null) return resolve()
              child.on('exit', () => resolve())
              child.kill('SIGKILL')
            }),
        )
        return child
      })
      expect(engines).toHaveLength(2)
      await waitFor('the campaign to complete', async () => (await store.campaigns.get(campaign.id))?.status === 'completed', 300_000).catch(async (e) => {
        console.info('stalled:', claimed, await store.campaigns.get(campaign.id), await store.ledger.stateCounts(campaign.id))
        throw e
      })

      const rows = await store.ledger.stateCounts(campaign.id)
      const perRecipient = sim.requestsByRecipient()
      expect([...perRecipient.values()].filter((n) => n > 1)).toEqual([])
      // Every request that left is recorded as sent, or uncertain (a second engine's start marks the first's in-flight rows so).
      expect(perRecipient.size).toBeGreaterThanOrEqual(rows.sent)
      expect(perRecipient.size).toBeLessThanOrEqual(rows.sent + rows.uncertain)
      expect(claimed[0]).toBeGreaterThan(0)
      expect(claimed[1]).toBeGreaterThan(0)
      // Rows a second engine's start found sending (the first was sending them) are uncertain, not resent.
      expect(rows.queued + rows.sending + rows.retry_wait).toBe(0)
      console.info(`mongodb race: engines claimed ${claimed[0]} and ${claimed[1]}; ${rows.sent} sent, ${rows.uncertain} uncertain`)
    },
    600_000,
  )
})
