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

const engine = createEngine({
  store,
  api,
  clock: systemClock,
  log: { info: quiet, warn: quiet, error: (a, b) => console.error(typeof a === 'string' ? a : b, a) },
  config: { graphVersion: 'v25.0', defaultGraphUrl: graphUrl },
  emit: (name, payload) => {
    if (name !== 'campaign:status') return
    const status = payload as { campaignId: string; to: string }
    if (status.campaignId === campaignId && status.to !== 'processing') {
      void engine
        .stop()
        .then(() => api.close())
        .then(() => store.close())
        .then(() => {
          process.stdout.write(`finished ${status.to}\n`)
          process.exit(0)
        })
    }
  },
})

void engine.start().then(() => process.stdout.write('started\n'))
