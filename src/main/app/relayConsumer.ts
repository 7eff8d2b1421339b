// Pulls webhook deliveries from a relay (`pregon serve --relay`) into this installation's own inbox, each
// exactly once: the cursor is saved after every batch is stored, and a batch stored twice (a crash in
// between) is harmless because applying a delivery again changes nothing (see webhookProcessor).

import { setTimeout as sleep } from 'node:timers/promises'
import type { App } from './index'

export const RELAY_CURSOR_KEY = 'relay:cursor'
/** The relay the cursor counts for: another relay numbers its events from its own start. */
export const RELAY_CURSOR_URL_KEY = 'relay:cursor-url'

export interface RelayConsumerOptions {
  /** The relay's base URL, e.g. https://relay.example.com */
  relayUrl: string
  apiKey: string
  /** Called after new deliveries were stored (the webhook processor's kick). */
  onStored?: () => void
  /** Long-poll seconds per request; default 25. */
  waitSec?: number
  /** Backoff after a failure: from `minBackoffMs` doubling to `maxBackoffMs` (defaults 500 ms, 30 s). */
  minBackoffMs?: number
  maxBackoffMs?: number
}

export interface RelayConsumer {
  /** The last relay sequence number stored here. */
  cursor(): number
  stop(): Promise<void>
}

interface RelayPage {
  events: { seq: number; body: string; receivedAt?: number }[]
  next: number
}

export async function startRelayConsumer(app: App, opts: RelayConsumerOptions): Promise<RelayConsumer> {
  const base = new URL(opts.relayUrl)
  const waitSec = opts.waitSec ?? 25
  const minBackoff = opts.minBackoffMs ?? 500
  const maxBackoff = opts.maxBackoffMs ?? 30_000
  const abort = new AbortController()
  const cursorUrl = await app.store.settings.get<string>(RELAY_CURSOR_URL_KEY)
  // A cursor from before the URL was kept alongside (null) belongs to the only relay there was.
  let cursor = cursorUrl === null || cursorUrl === base.href ? ((await app.store.settings.get<number>(RELAY_CURSOR_KEY)) ?? 0) : 0
  if (cursorUrl !== base.href) {
    await app.store.settings.set(RELAY_CURSOR_KEY, cursor)
    await app.store.settings.set(RELAY_CURSOR_URL_KEY, base.href)
  }

  async function pullOnce(): Promise<number> {
    const url = new URL('/api/relay/events', base)
    url.searchParams.set('after', String(cursor))
    url.searchParams.set('wait', String(waitSec))
    const response = await fetch(url, {
      headers: { authorization: `Bearer ${opts.apiKey}` },
      signal: AbortSignal.any([abort.signal, AbortSignal.timeout((waitSec + 15) * 1000)]),
    })
    if (!response.ok) {
      const text = await response.text().catch(() => '')
      throw new Error(`relay answered ${response.status}: ${text.slice(0, 200)}`)
    }
    const page = (await response.json()) as RelayPage
    const fresh = page.events.filter((e) => e.seq > cursor)
    for (const event of fresh) await app.store.inbox.append(event.body, event.receivedAt ?? Date.now())
    if (fresh.length > 0) {
      cursor = fresh[fresh.length - 1].seq
      await app.store.settings.set(RELAY_CURSOR_KEY, cursor)
      opts.onStored?.()
    }
    return fresh.length
  }

  const loop = (async () => {
    let backoff = minBackoff
    while (!abort.signal.aborted) {
      try {
        await pullOnce()
        backoff = minBackoff
      } catch (error) {
        if (abort.signal.aborted) break
        app.log.warn({ err: error instanceof Error ? error.message : String(error), retryInMs: backoff, relay: base.origin }, 'relay unreachable; retrying')
        await sleep(backoff, undefined, { signal: abort.signal }).catch(() => undefined)
        backoff = Math.min(maxBackoff, backoff * 2)
      }
    }
  })()

  app.log.info({ relay: base.origin, cursor }, 'pulling webhooks from the relay')
  return {
    cursor: () => cursor,
    async stop() {
      abort.abort()
      await loop
    },
  }
}
