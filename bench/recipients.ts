// The recipient table and its counts at 1,000,000 rows: how long one page of 200 takes through the
// ledger port at the start, middle and end of the list, unfiltered, by state and by search — what the
// campaign page asks for while a person scrolls a virtual table over the whole campaign.

import type { RecipientQuery } from '../src/main/store/ports'
import type { RecipientState } from '../src/shared/types'
import { openBenchStore } from './benchStore'

const PAGE = 200
const BATCH = 10_000

/** A finished campaign's mix: mostly read and delivered, some sent, a few failed, skipped and unconfirmed. */
function stateAt(position: number): RecipientState {
  const r = position % 100
  if (r < 40) return 'read'
  if (r < 80) return 'delivered'
  if (r < 94) return 'sent'
  if (r < 97) return 'failed'
  if (r < 99) return 'skipped'
  return 'uncertain'
}

export interface RecipientsPageBench {
  /** The slowest page (200 rows + total + state counts) over every query tried. */
  recipientsPageWorstMs1M: number
  /** Each query's time, ms. */
  pages: Record<string, number>
}

export async function benchRecipientsPage(rows = 1_000_000): Promise<RecipientsPageBench> {
  const bench = await openBenchStore('recipients')
  try {
    const { store } = bench
    const draft = await store.campaigns.begin({
      userId: bench.account.userId,
      accountId: bench.account.id,
      campaignName: 'bench recipients',
      batchId: 'bench',
      template: { name: 'hello_world', language: 'es' },
      pacing: { kind: 'off' },
      status: 'pending',
    })
    for (let at = 0; at < rows; at += BATCH) {
      const batch = Array.from({ length: Math.min(BATCH, rows - at) }, (_, i) => {
        const position = at + i
        const skipped = stateAt(position) === 'skipped'
        return { phone: `+57300${String(position).padStart(7, '0')}`, name: `Cliente ${position}`, variables: {}, skipReason: skipped ? ('duplicate' as const) : null }
      })
      await store.campaigns.appendRecipients(draft.id, batch)
    }
    const campaign = await store.campaigns.seal(draft.id)
    await settle(bench.dir, campaign.id)

    const pages: Record<string, number> = {}
    const queries: [string, Omit<RecipientQuery, 'offset' | 'limit'>, number][] = [
      ['all', {}, rows],
      ['read', { state: 'read' }, rows * 0.4],
      ['sent', { state: 'sent' }, rows * 0.14],
      ['failed', { state: 'failed' }, rows * 0.03],
      ['uncertain', { state: 'uncertain' }, rows * 0.01],
    ]
    for (const [name, filter, total] of queries) {
      for (const [where, offset] of [['start', 0], ['middle', Math.floor(total / 2)], ['end', Math.max(0, Math.floor(total) - PAGE)]] as const) {
        pages[`${name}@${where}`] = await timed(async () => {
          await store.ledger.page(campaign.id, { ...filter, offset, limit: PAGE })
          await store.ledger.stateCounts(campaign.id)
        })
      }
    }
    pages['search@start'] = await timed(() => store.ledger.page(campaign.id, { search: '3000123', offset: 0, limit: PAGE }))
    return { recipientsPageWorstMs1M: Math.max(...Object.values(pages)), pages }
  } finally {
    await bench.close()
  }
}

/** Moves the rows to their finished states and the counters with them, as the engine would have. */
async function settle(dir: string, campaignId: string): Promise<void> {
  // A bench writes the end state directly instead of a million sends.
  const Database = (await import('better-sqlite3')).default
  const db = new Database(`${dir}/pregon.db`)
  try {
    db.function('bench_state', (position: number) => stateAt(position))
    db.transaction(() => {
      db.prepare(`UPDATE recipients SET state = bench_state(position), wamid = 'wamid.' || id, sent_at = 1 WHERE campaign_id = ? AND state = 'queued'`).run(campaignId)
      db.prepare(
        `UPDATE campaigns SET
           success_count = (SELECT count(*) FROM recipients WHERE campaign_id = campaigns.id AND state IN ('sent', 'delivered', 'read')),
           delivered_count = (SELECT count(*) FROM recipients WHERE campaign_id = campaigns.id AND state IN ('delivered', 'read')),
           read_count = (SELECT count(*) FROM recipients WHERE campaign_id = campaigns.id AND state = 'read'),
           failed_count = (SELECT count(*) FROM recipients WHERE campaign_id = campaigns.id AND state = 'failed'),
           uncertain_count = (SELECT count(*) FROM recipients WHERE campaign_id = campaigns.id AND state = 'uncertain'),
           processed = (SELECT count(*) FROM recipients WHERE campaign_id = campaigns.id AND state NOT IN ('skipped', 'queued')),
           status = 'completed'
         WHERE id = ?`,
      ).run(campaignId)
    })()
  } finally {
    db.close()
  }
}

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const started = performance.now()
  await fn()
  return Math.round(performance.now() - started)
}

if (process.argv[1]?.endsWith('recipients.ts')) {
  benchRecipientsPage(Number(process.argv[2] ?? 1_000_000)).then((result) => console.log(JSON.stringify(result, null, 2)))
}
