// Live counters through the whole path: a real `pregon serve` sends against the simulator, whose status
// webhooks come back while it sends. The three views of a running campaign — the SSE progress events,
// the status document and the campaigns list — show one truth: delivered/read as they arrive, no count
// ever lower than one already shown (in the same view or another), and the same numbers at the end.

import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { freePort } from '../../bench/processes'
import { DEFAULT_PHONE_NUMBERS, startSimulator, type Simulator } from '../../src/sim'
import { request, startServe, tempDir, waitFor, type ServeProcess } from './httpHarness'

const KEY = 'key-live-counters-0123456789'
const SECRET = 'app-secret-for-live-counters'
const TOKEN = 'sim-token-for-live-counters'
const RECIPIENTS = 400
/** Counters that only grow in this campaign (no failures, nothing uncertain). */
const GROWING = ['processed', 'successCount', 'deliveredCount', 'readCount', 'failedCount'] as const

type Counts = Record<(typeof GROWING)[number] | 'contactsCount', number> & { status: string }
type View = 'event' | 'status document' | 'list'

/**
 * One look at the counters. A document or list entry was computed by the server somewhere between
 * `askedAt` and `seenAt`; an SSE event at some moment before `seenAt` (when is not knowable from here).
 */
interface Observation {
  view: View
  askedAt: number | null
  seenAt: number
  counts: Counts
}

let serve: ServeProcess
let sim: Simulator

beforeAll(async () => {
  const port = await freePort()
  sim = await startSimulator({
    seed: 31,
    accessTokens: [TOKEN],
    phoneNumbers: [{ ...DEFAULT_PHONE_NUMBERS[0], mps: 1_000 }],
    // One status per POST, delivered ~100 ms and read ~200 ms after the send: they arrive while it sends.
    webhook: { url: `http://127.0.0.1:${port}/webhook`, appSecret: SECRET, statuses: true, batchSize: 1, deliverDelayMs: 100, readRate: 0.5 },
  })
  serve = await startServe({ dataDir: tempDir('live-counters'), port, graphUrl: sim.url }, { PREGON_API_KEYS: `${KEY}:tienda`, PREGON_APP_SECRET: SECRET })
  const put = await request(`${serve.url}/api/user/meta-credentials`, {
    method: 'PUT',
    key: KEY,
    body: { phoneNumberId: DEFAULT_PHONE_NUMBERS[0].id, wabaId: '200000000000001', accessToken: TOKEN, maxMessagesPerSecond: 1000 },
  })
  expect(put.status, JSON.stringify(put.body)).toBe(200)
})

afterAll(async () => {
  await serve?.stop()
  await sim?.stop()
})

/** `campaign:progress` events of one campaign from the SSE stream, as the browser UI receives them. */
async function listen(campaignId: () => string | null, into: Observation[], signal: AbortSignal): Promise<void> {
  const response = await fetch(`${serve.url}/api/events?key=${KEY}`, { signal })
  expect(response.status).toBe(200)
  const reader = (response.body as ReadableStream<Uint8Array>).getReader()
  const decoder = new TextDecoder()
  let buffered = ''
  for (;;) {
    const { value, done } = await reader.read().catch(() => ({ value: undefined, done: true }))
    if (done) return
    buffered += decoder.decode(value, { stream: true })
    let end: number
    while ((end = buffered.indexOf('\n\n')) >= 0) {
      const block = buffered.slice(0, end)
      buffered = buffered.slice(end + 2)
      if (!block.split('\n').includes('event: campaign:progress')) continue
      const data = JSON.parse(block.split('\n').find((line) => line.startsWith('data: '))?.slice(6) ?? '{}') as Counts & { campaignId: string }
      if (data.campaignId === campaignId()) into.push({ view: 'event', askedAt: null, seenAt: performance.now(), counts: data })
    }
  }
}

async function look(id: string, view: Exclude<View, 'event'>): Promise<Observation> {
  const askedAt = performance.now()
  const counts =
    view === 'status document'
      ? (await request<Counts>(`${serve.url}/api/campaigns/${id}/status`, { key: KEY })).body
      : ((await request<{ campaigns: (Counts & { id: string })[] }>(`${serve.url}/api/campaigns`, { key: KEY })).body.campaigns.find((c) => c.id === id) as Counts)
  return { view, askedAt, seenAt: performance.now(), counts }
}

const describeCounts = (o: Observation) => `${o.view} (${o.counts.status}) ${GROWING.map((key) => `${key}=${o.counts[key]}`).join(' ')}`

/**
 * What a user watching any mix of the views may rely on: whatever was on screen before a document was
 * asked for is never more than that document says. An event's own moment is unknown, so an event is
 * only compared with what came before it in the stream (events leave in order).
 */
function expectNeverBackwards(observations: Observation[]): void {
  const events = observations.filter((o) => o.view === 'event')
  for (let i = 1; i < events.length; i++) {
    for (const key of GROWING) expect(events[i].counts[key], `${key} went back between events: ${describeCounts(events[i - 1])} → ${describeCounts(events[i])}`).toBeGreaterThanOrEqual(events[i - 1].counts[key])
  }
  // A walk through time: at each document's request, the highest value any view had shown by then.
  const moments = observations.flatMap((o) => [
    { at: o.seenAt, seen: o },
    ...(o.askedAt === null ? [] : [{ at: o.askedAt, asked: o }]),
  ])
  moments.sort((a, b) => a.at - b.at || ('asked' in a ? 1 : -1))
  const highest = new Map<(typeof GROWING)[number], Observation>()
  for (const moment of moments) {
    if ('seen' in moment && moment.seen) {
      for (const key of GROWING) if (moment.seen.counts[key] > (highest.get(key)?.counts[key] ?? -1)) highest.set(key, moment.seen)
    } else if ('asked' in moment && moment.asked) {
      for (const key of GROWING) {
        const before = highest.get(key)
        if (before) expect(moment.asked.counts[key], `${key} went back: ${describeCounts(before)} then ${describeCounts(moment.asked)}`).toBeGreaterThanOrEqual(before.counts[key])
      }
    }
  }
}

describe('a running campaign’s counters', () => {
  it('show delivered and read while it sends, agree across events, the status document and the list, and never go backwards', async () => {
    let id: string | null = null
    const observations: Observation[] = []
    const stop = new AbortController()
    const listening = listen(() => id, observations, stop.signal)
    // The stream is open (its first bytes arrived) before the campaign exists.
    await new Promise((resolve) => setTimeout(resolve, 300))

    const contacts = Array.from({ length: RECIPIENTS }, (_, i) => ({ numero: `57303${String(i).padStart(7, '0')}`, Nombre: `Cliente ${i}` }))
    const created = await request<{ campaignId: string }>(`${serve.url}/api/campaigns/create`, {
      key: KEY,
      // 15 ms apart: about 6 s of sending, while the statuses of the first messages come back.
      body: { contacts, template: { name: 'hello_world', language: { code: 'en_US' } }, campaignName: 'Contadores', pacing: { kind: 'custom', intervalMs: 15 } },
    })
    expect(created.status, JSON.stringify(created.body)).toBe(200)
    id = created.body.campaignId

    for (;;) {
      const doc = await look(id, 'status document')
      observations.push(doc, await look(id, 'list'))
      if (doc.counts.status !== 'processing' && doc.counts.status !== 'pending') break
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
    expect(observations.at(-1)?.counts.status).toBe('completed')

    // The statuses of the last messages still arrive after it completed; when they are all in, every view says the same.
    await sim.flushWebhooks()
    const settled = await waitFor('the last event to match the status document', async () => {
      const doc = await look(id as string, 'status document')
      const last = observations.filter((o) => o.view === 'event').at(-1)
      return last && GROWING.every((key) => last.counts[key] === doc.counts[key]) ? doc : null
    })
    observations.push(settled, await look(id, 'list'))
    stop.abort()
    await listening

    const final = settled.counts
    expect(final).toMatchObject({ processed: RECIPIENTS, successCount: RECIPIENTS, deliveredCount: RECIPIENTS, failedCount: 0 })
    expect(observations.at(-1)?.counts).toMatchObject(Object.fromEntries(GROWING.map((key) => [key, final[key]])))
    for (const view of ['event', 'status document', 'list'] as const) {
      const whileSending = observations.filter((o) => o.view === view && o.counts.status === 'processing')
      expect(whileSending.length, `${view}s while processing`).toBeGreaterThan(3)
      expect(whileSending.some((o) => o.counts.deliveredCount > 0 && o.counts.readCount > 0), `${view} shows delivered and read while processing`).toBe(true)
      // Read implies delivered, delivered implies sent: never more of one than of the other.
      for (const o of whileSending) {
        expect(o.counts.readCount, describeCounts(o)).toBeLessThanOrEqual(o.counts.deliveredCount)
        expect(o.counts.deliveredCount, describeCounts(o)).toBeLessThanOrEqual(o.counts.successCount)
        expect(o.counts.processed, describeCounts(o)).toBeLessThanOrEqual(o.counts.contactsCount)
      }
    }
    expectNeverBackwards(observations)
  }, 60_000)
})
