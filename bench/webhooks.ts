// Webhook ingestion: signed status batches POSTed to /webhook over loopback, stored, then correlated to
// ledger rows by wamid, measured end to end (first POST → every status applied).

import { createHmac } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { createApp } from '../src/main/app'
import { createWebhookProcessor } from '../src/main/app/webhookProcessor'
import { createHttpServer } from '../src/main/http/server'
import { createLogger } from '../src/main/log/logger'
import { createSecretBox, loadHeadlessKey } from '../src/main/store/secrets'
import type { SendOutcome } from '../src/main/store/ports'

const SECRET = 'bench-app-secret'
const PHONE_ID = '100000000000001'

export interface WebhookBenchResults {
  webhookEventsPerSec: number
}

/** `statuses` delivered statuses in POSTs of `batch`, `concurrency` POSTs in flight. Target ≥ 5,000/s. */
export async function benchWebhookIngest(statuses = 50_000, batch = 1_000, concurrency = 4): Promise<WebhookBenchResults> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'pregon-bench-webhooks-'))
  process.env.PREGON_APP_SECRET = SECRET
  const app = await createApp({
    dataDir,
    secrets: createSecretBox(loadHeadlessKey(dataDir)),
    mode: 'headless',
    logger: await createLogger({ silent: true }),
    startEngine: false,
  })
  const processor = createWebhookProcessor(app)
  const server = await createHttpServer(app, { host: '127.0.0.1', port: 0, onWebhookStored: () => processor.kick() })
  try {
    const wamids = await seedSentCampaign(app, statuses)
    const bodies: string[] = []
    for (let i = 0; i < wamids.length; i += batch) {
      const now = String(Math.floor(Date.now() / 1000))
      const slice = wamids.slice(i, i + batch).map((id) => ({ id, status: 'delivered', timestamp: now, recipient_id: '573000000000' }))
      bodies.push(
        JSON.stringify({
          object: 'whatsapp_business_account',
          entry: [{ id: '200000000000001', changes: [{ field: 'messages', value: { metadata: { phone_number_id: PHONE_ID }, statuses: slice } }] }],
        }),
      )
    }
    const started = performance.now()
    let next = 0
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < bodies.length) {
          const body = bodies[next++]
          const response = await fetch(`${server.url}/webhook`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', 'x-hub-signature-256': `sha256=${createHmac('sha256', SECRET).update(body).digest('hex')}` },
            body,
          })
          if (response.status !== 200) throw new Error(`webhook answered ${response.status}`)
        }
      }),
    )
    await processor.drain()
    const seconds = (performance.now() - started) / 1000
    const campaign = (await app.store.campaigns.listByStatus(['completed']))[0]
    if (campaign.deliveredCount !== statuses) throw new Error(`only ${campaign.deliveredCount} of ${statuses} statuses were applied`)
    return { webhookEventsPerSec: Math.round(statuses / seconds) }
  } finally {
    await server.close()
    await processor.close()
    await app.close()
    rmSync(dataDir, { recursive: true, force: true })
  }
}

/** A completed campaign whose every row was accepted with a known wamid, written straight to the store. */
async function seedSentCampaign(app: Awaited<ReturnType<typeof createApp>>, count: number): Promise<string[]> {
  const user = await app.store.users.ensureLocal()
  const account = await app.store.accounts.create({
    userId: user.id,
    label: 'bench',
    phoneNumberId: PHONE_ID,
    wabaId: '200000000000001',
    accessToken: 'bench-token-0000',
    defaultCountry: 'CO',
  })
  const recipients = Array.from({ length: count }, (_, i) => ({ phone: `+57300${String(i).padStart(7, '0')}`, name: null, variables: {} }))
  const campaign = await app.store.campaigns.create(
    { userId: user.id, accountId: account.id, campaignName: 'bench', batchId: 'bench', template: { name: 'hello_world', language: 'en_US' }, pacing: { kind: 'off' }, status: 'pending' },
    recipients,
  )
  const wamids: string[] = []
  const now = Date.now()
  for (;;) {
    const claimed = await app.store.ledger.claim(campaign.id, 1_000, now)
    if (claimed.length === 0) break
    const outcomes: SendOutcome[] = claimed.map((r) => {
      const wamid = `wamid.bench.${r.id}`
      wamids.push(wamid)
      return { kind: 'sent', recipientId: r.id, wamid, waId: null, log: { httpStatus: 200, latencyMs: 1 } }
    })
    await app.store.ledger.record(campaign.id, outcomes, now)
  }
  await app.store.campaigns.transition(campaign.id, ['pending'], 'completed', { completedAt: new Date().toISOString() })
  return wamids
}
