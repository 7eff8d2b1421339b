// Settings → Relay on the desktop takes effect when saved: the consumer starts, moves to another relay
// (whose events are counted from its own start), and stops when the relay is cleared — no restart.

import { mkdtempSync, rmSync } from 'node:fs'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { createApp, type App } from '../../src/main/app'
import { startDesktopWebhooks, type DesktopWebhooks } from '../../src/main/http/desktopWebhooks'
import { createLogger } from '../../src/main/log/logger'
import { createSecretBox } from '../../src/main/store/secrets'

/** A relay as the desktop sees it: long-polls answered after a moment, one delivery to hand out. */
interface FakeRelay {
  url: string
  /** `after` of every pull, with the bearer key it came with. */
  pulls: { after: number; auth: string }[]
  close(): Promise<void>
}

async function fakeRelay(delivery: { seq: number; body: string } | null): Promise<FakeRelay> {
  const pulls: FakeRelay['pulls'] = []
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://relay')
    if (url.pathname !== '/api/relay/events') return void res.writeHead(404).end()
    const after = Number(url.searchParams.get('after'))
    pulls.push({ after, auth: req.headers.authorization ?? '' })
    const events = delivery && delivery.seq > after ? [{ ...delivery, receivedAt: Date.now() }] : []
    const timer = setTimeout(() => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ events, next: events.at(-1)?.seq ?? after })), 50)
    res.on('close', () => clearTimeout(timer))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    pulls,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

const waitFor = async (check: () => boolean, what: string): Promise<void> => {
  const until = Date.now() + 5_000
  while (!check()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`)
    await pause(20)
  }
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** No new pull for 300 ms, once a request already on the wire when the consumer stopped has landed. */
async function quietAfter(relay: FakeRelay): Promise<boolean> {
  await pause(100)
  const pulls = relay.pulls.length
  await pause(300)
  return relay.pulls.length === pulls
}

const EMPTY_DELIVERY = JSON.stringify({ object: 'whatsapp_business_account', entry: [] })

describe('desktop relay settings', () => {
  const cleanups: (() => Promise<void> | void)[] = []
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
  })

  it('starts, switches and stops the relay consumer when the settings are saved', async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'pregon-desk-relay-'))
    cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }))
    const app: App = await createApp({ dataDir, secrets: createSecretBox(Buffer.alloc(32, 4)), mode: 'desktop', logger: await createLogger({ silent: true }), startEngine: false })
    cleanups.push(() => app.close())
    const user = await app.store.users.ensureLocal()
    const first = await fakeRelay({ seq: 7, body: EMPTY_DELIVERY })
    const second = await fakeRelay(null)
    cleanups.push(() => first.close(), () => second.close())

    const webhooks: DesktopWebhooks = await startDesktopWebhooks(app, { userId: user.id, port: 0 })
    cleanups.push(() => webhooks.close())
    expect(first.pulls).toEqual([])

    const save = async (settings: { relayUrl?: string; relayApiKey?: string }) => {
      const saved = await app.dispatch({ userId: user.id, operator: true }, 'installation.set', settings)
      expect(saved.ok, JSON.stringify(saved)).toBe(true)
      await webhooks.refreshRelay()
    }

    await save({ relayUrl: first.url, relayApiKey: 'key-one' })
    await waitFor(() => first.pulls.some((p) => p.after === 7), 'the first relay to be pulled past its delivery')
    expect(first.pulls[0]).toEqual({ after: 0, auth: 'Bearer key-one' })

    await save({ relayUrl: second.url })
    await waitFor(() => second.pulls.length > 0, 'the second relay to be pulled')
    // The first relay's cursor means nothing to the second one.
    expect(second.pulls[0]).toEqual({ after: 0, auth: 'Bearer key-one' })
    expect(await quietAfter(first)).toBe(true)

    await save({ relayApiKey: 'key-two' })
    await waitFor(() => second.pulls.some((p) => p.auth === 'Bearer key-two'), 'the new key to be used')

    await save({ relayUrl: '' })
    expect(await quietAfter(second)).toBe(true)
  })

  it('keeps pulling from the relay an older version saved among the owner’s own settings', async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'pregon-desk-legacy-relay-'))
    cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }))
    const app: App = await createApp({ dataDir, secrets: createSecretBox(Buffer.alloc(32, 4)), mode: 'desktop', logger: await createLogger({ silent: true }), startEngine: false })
    cleanups.push(() => app.close())
    const user = await app.store.users.ensureLocal()
    const relay = await fakeRelay(null)
    cleanups.push(() => relay.close())
    // As the previous version stored them: the URL with the user's settings, the key installation-wide.
    await app.store.settings.set(`user:${user.id}:settings`, { theme: 'dark', relayUrl: relay.url })
    await app.store.settings.set('relay:apiKey', app.config.secrets.seal('old-key'))

    const webhooks = await startDesktopWebhooks(app, { userId: user.id, port: 0 })
    cleanups.push(() => webhooks.close())
    await waitFor(() => relay.pulls.length > 0, 'the saved relay to be pulled')
    expect(relay.pulls[0]).toEqual({ after: 0, auth: 'Bearer old-key' })

    const operator = { userId: user.id, operator: true }
    expect(await app.dispatch(operator, 'installation.get', {})).toMatchObject({ ok: true, value: { relayUrl: relay.url, relayApiKeySet: true } })
    const own = await app.dispatch(operator, 'settings.get', {})
    expect(own).toMatchObject({ ok: true, value: { theme: 'dark' } })
    expect(JSON.stringify(own)).not.toContain(relay.url)
  })
})
