// A child process for the crash test: runs the engine on a data directory until the campaign completes
// or the parent kills it (SIGKILL). Not a test itself; tests/integration/engineCrash.test.ts spawns it.

import { createEngine } from '../../../src/main/engine'
import { systemClock } from '../../../src/main/engine/clock'
import { createSecretBox } from '../../../src/main/store/secrets'
import { openSqliteStore } from '../../../src/main/store/sqlite'
import { createCloudApi } from '../../../src/main/whatsapp/client'

const [dataDir, graphUrl, campaignId] = process.argv.slice(2)
const key = Buffer.from(process.env.PREGON_TEST_KEY ?? '', 'hex')
const store = openSqliteStore({ dataDir, secrets: createSecretBox(key) })
const api = createCloudApi({ timeoutMs: 5_000 })
const quiet = () => {}

/** With a window set, the parent delivers webhooks: finish only once no row is left uncertain. */
const uncertainWindowMs = Number(process.env.PREGON_TEST_UNCERTAIN_WINDOW_MS) || undefined
let finishing = false

async function finish(to: string): Promise<void> {
  if (finishing) return
  finishing = true
  if (uncertainWindowMs) {
    for (;;) {
      const campaign = await store.campaigns.get(campaignId)
      if (campaign?.status !== 'processing' && campaign?.uncertainCount === 0) break
      await new Promise((resolve) => setTimeout(resolve, 200))
    }
    to = (await store.campaigns.get(campaignId))?.status ?? to
  }
  await engine.stop()
  await api.close()
  await store.close()
  process.stdout.write(`finished ${to}\n`)
  process.exit(0)
}

const engine = createEngine({
  store,
  api,
  clock: systemClock,
  log: { info: quiet, warn: quiet, error: (a, b) => console.error(typeof a === 'string' ? a : b, a) },
  config: { graphVersion: 'v25.0', defaultGraphUrl: graphUrl, ...(uncertainWindowMs ? { uncertainWindowMs } : {}) },
  emit: (name, payload) => {
    if (name !== 'campaign:status') return
    const status = payload as { campaignId: string; to: string }
    if (status.campaignId === campaignId && status.to !== 'processing') void finish(status.to)
  },
})

void engine.start().then(() => process.stdout.write('started\n'))
