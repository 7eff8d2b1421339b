// A child process for the MongoDB crash test: runs the engine on a MongoDB store until the campaign
// completes or the parent kills it (SIGKILL). Not a test itself; mongoCrash.test.ts spawns it.
import { createEngine } from '../../src/main/engine'
import { systemClock } from '../../src/main/engine/clock'
import { openMongoStore } from '../../src/main/store/mongo'
import { createSecretBox } from '../../src/main/store/secrets'
import { createCloudApi } from '../../src/main/whatsapp/client'

const [uri, graphUrl, campaignId, transactions] = process.argv.slice(2)
const key = Buffer.from(process.env.PREGON_TEST_KEY ?? '', 'hex')
const quiet = () => {}

void (async () => {
  const store = await openMongoStore({ uri, secrets: createSecretBox(key), transactions: transactions === 'off' ? 'off' : 'auto' })
  const api = createCloudApi({ timeoutMs: 5_000 })
  // The race test asks each engine how many rows it claimed.
  if (process.env.PREGON_TEST_REPORT_CLAIMS) {
    const claim = store.ledger.claim.bind(store.ledger)
    let claimed = 0
    store.ledger.claim = async (...args) => {
      const rows = await claim(...args)
      claimed += rows.length
      process.stdout.write(`claimed ${claimed}\n`)
      return rows
    }
  }
  const engine = createEngine({
    store,
    api,
    clock: systemClock,
    log: { info: quiet, warn: quiet, error: (a, b) => console.error(typeof a === 'string' ? a : b, a) },
    config: { graphVersion: 'v25.0', defaultGraphUrl: graphUrl },
    emit: (name, payload) => {
      const status = payload as { campaignId: string; to: string }
      if (name !== 'campaign:status' || status.campaignId !== campaignId || status.to === 'processing') return
      void (async () => {
        await engine.stop()
        await api.close()
        await store.close()
        process.stdout.write(`finished ${status.to}\n`)
        process.exit(0)
      })()
    },
  })
  await engine.start()
  process.stdout.write('started\n')
})()
