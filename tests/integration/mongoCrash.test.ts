// The crash test on the MongoDB store: the engine in a child process is SIGKILLed at random moments of a
// campaign and restarted each time. In the end every row is terminal, the simulator saw no recipient
// twice, none was lost, and the campaign's counters equal its ledger — with transactions (a replica
// set), and without them (as on a standalone mongod, where recovery recounts what a kill split).
// On jongodb: 500 recipients, 10 kills. With PREGON_TEST_MONGODB_URI (a real mongod): 5,000 and 22.
import { spawn, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { join } from 'node:path'
// eslint-disable-next-line no-restricted-imports -- between kills the test looks at what a kill left behind
import { MongoClient, ObjectId } from 'mongodb'
import { afterEach, describe, expect, it } from 'vitest'
import { openMongoStore } from '../../src/main/store/mongo'
import { createSecretBox } from '../../src/main/store/secrets'
import { DEFAULT_PHONE_NUMBERS, startSimulator } from '../../src/sim'
import { startJongodb, withDatabase } from '../support/jongodb'
import { addAccount, createCampaign, recipients } from '../unit/engine/support'

const CHILD = join(__dirname, 'mongoCrashChild.ts')
const REAL_MONGODB = process.env.PREGON_TEST_MONGODB_URI

const cleanups: (() => Promise<void> | void)[] = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

function killed(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve()
    child.on('exit', () => resolve())
    child.kill('SIGKILL')
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

async function crashTest(uri: string, transactions: 'auto' | 'off', count: number, kills: number): Promise<void> {
  const sim = await startSimulator({ seed: 7, latencyMs: { min: 0, max: 8 }, phoneNumbers: [{ ...DEFAULT_PHONE_NUMBERS[0], mps: 1_000 }] })
  cleanups.push(() => sim.stop())
  const key = randomBytes(32)
  const setup = await openMongoStore({ uri, secrets: createSecretBox(key), transactions })
  const account = await addAccount(setup, { graphUrl: sim.url, mps: 200 })
  const campaign = await createCampaign(setup, account, recipients(count), { pacing: { kind: 'standard' } })
  await setup.close()

  const spawnEngine = (): ChildProcess => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, uri, sim.url, campaign.id, transactions], {
      cwd: join(__dirname, '../..'),
      env: { ...process.env, PREGON_TEST_KEY: key.toString('hex') },
      stdio: ['ignore', 'pipe', 'inherit'],
    })
    cleanups.push(() => killed(child))
    return child
  }
  const look = await new MongoClient(uri, { serverMonitoringMode: 'poll' }).connect()
  cleanups.push(() => look.close())
  let done = 0
  let split = 0
  for (; done < kills; done++) {
    const child = spawnEngine()
    expect(await lineStartingWith(child, 'started')).toBe('started')
    // Sometimes during recovery, mostly mid-send.
    await new Promise((resolve) => setTimeout(resolve, Math.floor(Math.random() * 700)))
    await killed(child)
    // Without transactions, a kill between a write's rows and its counters leaves the marker raised.
    const left = await look.db().collection('campaigns').findOne({ _id: new ObjectId(campaign.id) })
    if ((left?.writesInFlight as number) > 0) split++
  }
  expect(await lineStartingWith(spawnEngine(), 'finished')).toBe('finished completed')

  const store = await openMongoStore({ uri, secrets: createSecretBox(key), transactions })
  cleanups.push(() => store.close())
  const rows = await store.ledger.stateCounts(campaign.id)
  const ended = await store.campaigns.get(campaign.id)
  expect(rows.queued + rows.sending + rows.retry_wait).toBe(0)
  // None lost: every recipient ended somewhere terminal.
  expect(rows.sent + rows.delivered + rows.read + rows.failed + rows.skipped + rows.uncertain).toBe(count)
  // None sent twice.
  const perRecipient = sim.requestsByRecipient()
  expect([...perRecipient.values()].filter((n) => n > 1)).toEqual([])
  // Every request the simulator accepted is recorded as sent, or (killed in flight) uncertain.
  expect(perRecipient.size).toBeGreaterThanOrEqual(rows.sent)
  expect(perRecipient.size).toBeLessThanOrEqual(rows.sent + rows.uncertain)
  expect(ended).toMatchObject({
    status: 'completed',
    contactsCount: count,
    successCount: rows.sent + rows.delivered + rows.read,
    failedCount: rows.failed,
    uncertainCount: rows.uncertain,
    skippedCount: rows.skipped,
    processed: rows.sent + rows.delivered + rows.read + rows.failed + rows.uncertain,
  })
  if (transactions === 'auto') expect(split).toBe(0)
  console.info(`mongodb crash test (transactions ${transactions}): ${done} kills (${split} cut a write between rows and counters), ${rows.sent} sent, ${rows.uncertain} uncertain`)
}

describe('the engine on MongoDB killed at random moments', () => {
  for (const transactions of ['off', 'auto'] as const) {
    it(`jongodb, transactions ${transactions}: 500 recipients, 10 kills — none sent twice, none lost, counters equal the ledger`, async () => {
      const server = await startJongodb()
      cleanups.push(() => server.stop())
      await crashTest(server.freshDatabase('crash'), transactions, 500, 10)
    }, 240_000)
  }

  it.skipIf(!REAL_MONGODB)(
    'a real MongoDB (PREGON_TEST_MONGODB_URI), no transactions: 5,000 recipients, 22 kills — skipped without it',
    async () => {
      const uri = withDatabase(REAL_MONGODB as string, `pregon_crash_${randomBytes(4).toString('hex')}`)
      await crashTest(uri, 'off', 5_000, 22)
    },
    600_000,
  )
})
