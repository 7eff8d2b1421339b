// A hostile tenant against a real `pregon serve`: tenant B tries every contract method and every route on
// tenant A's resources and on the installation's settings, forges Meta's webhooks and points the Graph API
// at loopback ports. Everything is refused, B learns nothing of A's, and A's data is the same afterwards.

import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp } from '../../src/main/app'
import { createHttpServer } from '../../src/main/http/server'
import { createLogger } from '../../src/main/log/logger'
import { createSecretBox } from '../../src/main/store/secrets'
import { methods, type ApiMethod } from '../../src/shared/contract'
import { DEFAULT_PHONE_NUMBERS, startSimulator, type Simulator } from '../../src/sim'
import { freePort } from '../../bench/processes'
import { messagesWebhook, postWebhook, request, sign, startServe, statusOf, tempDir, waitFor, type Reply, type ServeProcess } from './httpHarness'

const KEY_A = 'key-tenant-ana-0123456789'
const KEY_B = 'key-tenant-bruno-0123456789'
const ADMIN_KEY = 'admin-key-of-the-operator-0123456789'
const APP_SECRET = 'the-operators-meta-app-secret'
const VERIFY_TOKEN = 'the-operators-verify-token'
const B_SECRET = 'bruno-chose-this-app-secret'
const B_VERIFY = 'bruno-chose-this-verify-token'
const TOKEN = 'sim-token-of-ana-0123456789'
const NUMBER = DEFAULT_PHONE_NUMBERS[0]
const HELLO = { name: 'hello_world', language: { code: 'en_US' } }
const A_PHONES = ['573001110001', '573001110002', '573001110003']
const A_CAMPAIGN_NAME = 'Promo secreta de Ana'

/** What A owns, by id. */
interface OfA {
  accountId: string
  campaignId: string
  importId: string
  wamid: string
}

let serve: ServeProcess
let sim: Simulator
/** A service on loopback that no tenant may make the server reach. */
let internal: { port: number; hits: number; close(): Promise<void> }
/** A loopback port where nothing listens. */
let closedPort: number
let a: OfA
let streamOfB: { text(): string; stop(): void }
let before: unknown

const api = (method: string, key: string, body: unknown = {}): Promise<Reply> => request(`${serve.url}/api/${method}`, { key, body })

async function value<T = Record<string, unknown>>(method: string, key: string, body: unknown = {}): Promise<T> {
  const reply = await api(method, key, body)
  expect(reply.status, `${method}: ${JSON.stringify(reply.body)}`).toBe(200)
  return (reply.body as { value: T }).value
}

const base64 = (text: string) => Buffer.from(text, 'utf8').toString('base64')

/** Everything A can see of its own, plus the installation as its operator sees it. */
async function snapshotOfA(): Promise<unknown> {
  const { inMemory: _live, ...campaign } = await value('campaigns.get', KEY_A, { id: a.campaignId })
  const [report] = await Promise.all([request(`${serve.url}/api/campaigns/${a.campaignId}/report.csv`, { key: KEY_A })])
  return {
    accounts: await value('accounts.list', KEY_A),
    campaigns: await value('campaigns.list', KEY_A),
    campaign,
    recipients: await value('campaigns.recipients', KEY_A, { id: a.campaignId, limit: 1000 }),
    errors: await value('campaigns.errors', KEY_A, { id: a.campaignId }),
    suppressions: await value('suppressions.list', KEY_A),
    settings: await value('settings.get', KEY_A),
    report: report.body,
    installation: await value('installation.get', ADMIN_KEY),
  }
}

/** Strings that must never reach B: A's ids, customers, campaign name and the operator's secrets. */
function secretsOfA(): string[] {
  return [a.accountId, a.campaignId, a.importId, a.wamid, A_CAMPAIGN_NAME, ...A_PHONES, APP_SECRET, VERIFY_TOKEN]
}

/** `sent`: what B's request carried; an error may name the id B asked for, which B knew already. */
function expectNothingOfA(what: string, reply: Reply, sent: string): void {
  const text = typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body)
  for (const secret of secretsOfA().filter((s) => !sent.includes(s))) {
    expect(text, `${what} answered B with A's "${secret}"`).not.toContain(secret)
  }
}

function expectRefused(what: string, reply: Reply): void {
  const body = reply.body as { ok?: unknown; error?: { code?: unknown; message?: unknown } }
  expect(body.ok, `${what} was not refused: ${reply.status} ${JSON.stringify(reply.body)}`).toBe(false)
  expect([400, 403, 404, 409, 502], `${what}: ${reply.status}`).toContain(reply.status)
  expect(typeof body.error?.code).toBe('string')
  expect(typeof body.error?.message).toBe('string')
}

/**
 * What B may get: a refusal; for a probe on B's own data (a list, its own settings) an answer; or, where the
 * contract answers an unknown id with a no-op (`{removed:false}`), exactly that. Never anything of A's.
 */
interface Probe {
  args: unknown
  outcome: 'refused' | 'own' | { noop: unknown }
}
const own = (args: unknown): Probe => ({ args, outcome: 'own' })
const refused = (args: unknown): Probe => ({ args, outcome: 'refused' })
const noop = (args: unknown, value: unknown): Probe => ({ args, outcome: { noop: value } })

/**
 * B's attempts per contract method. The mapped type makes a method added to the contract later a type
 * error here until it has its probes, and the first test checks the list against `methods` at run time.
 */
function probesOfB(): { [M in ApiMethod]: Probe[] } {
  const stolen = { phoneNumberId: NUMBER.id, wabaId: NUMBER.wabaId, accessToken: 'guessed-token-of-ana' }
  const loopback = [`http://127.0.0.1:${internal.port}`, `http://127.0.0.1:${closedPort}`, `http://localhost:${serve.url.split(':').at(-1)}`]
  return {
    'app.info': [own({})],
    'settings.get': [own({})],
    'settings.set': [
      refused({ webhookAppSecret: B_SECRET }),
      refused({ webhookVerifyToken: B_VERIFY }),
      refused({ relayUrl: `http://127.0.0.1:${internal.port}` }),
      refused({ relayApiKey: 'bruno-relay-key' }),
      own({ theme: 'dark', stopKeywords: ['BASTA YA'] }),
    ],
    'installation.get': [refused({})],
    'installation.set': [
      refused({ webhookAppSecret: B_SECRET, webhookVerifyToken: B_VERIFY }),
      refused({ relayUrl: `http://127.0.0.1:${internal.port}`, relayApiKey: 'bruno-relay-key' }),
    ],
    // The installation's store and mirror; a tenant testing addresses would make the server connect anywhere.
    'storage.get': [refused({})],
    'storage.test': [refused({ uri: `mongodb://127.0.0.1:${internal.port}/x` })],
    'storage.setMirror': [refused({ enabled: true, uri: `mongodb://127.0.0.1:${internal.port}/x` })],
    'storage.choose': [refused({ backend: 'mongodb', uri: `mongodb://127.0.0.1:${internal.port}/x` }), refused({ backend: 'sqlite' })],
    'accounts.list': [own({})],
    'accounts.validate': [refused(stolen), ...loopback.map((graphUrl) => refused({ ...stolen, accessToken: TOKEN, graphUrl }))],
    'accounts.add': [refused(stolen), ...loopback.map((graphUrl) => refused({ ...stolen, accessToken: TOKEN, graphUrl }))],
    'accounts.addDemo': [refused({})],
    'accounts.update': [refused({ id: a.accountId, label: 'cuenta de Bruno' }), refused({ id: a.accountId, accessToken: 'bruno-token-1234' })],
    'accounts.refresh': [refused({ id: a.accountId })],
    'accounts.remove': [noop({ id: a.accountId }, { removed: false })],
    'templates.list': [refused({ accountId: a.accountId }), refused({ accountId: a.accountId, refresh: true })],
    'contacts.import': [
      refused({ accountId: a.accountId, fileName: 'b.csv', dataBase64: base64('numero\n573009990001\n') }),
      refused({ fileName: 'ajeno.jsonl', path: `${serve.dataDir}/imports` }),
    ],
    'campaigns.create': [
      refused({ importId: a.importId, template: HELLO, campaignName: 'robada' }),
      refused({ contacts: [{ numero: '573009990001' }], accountId: a.accountId, template: HELLO, campaignName: 'con la cuenta de Ana' }),
    ],
    'campaigns.preview': [refused({ importId: a.importId, template: HELLO }), refused({ importId: a.importId, template: HELLO, accountId: a.accountId })],
    'campaigns.list': [own({}), own({ accountId: a.accountId })],
    'campaigns.get': [refused({ id: a.campaignId })],
    'campaigns.pause': [refused({ id: a.campaignId })],
    'campaigns.resume': [refused({ id: a.campaignId })],
    'campaigns.cancel': [refused({ id: a.campaignId })],
    'campaigns.resendUncertain': [refused({ id: a.campaignId })],
    'campaigns.retryFailed': [refused({ id: a.campaignId })],
    'campaigns.recipients': [refused({ id: a.campaignId }), refused({ id: a.campaignId, search: A_PHONES[0].slice(-4) })],
    'campaigns.errors': [refused({ id: a.campaignId })],
    'campaigns.estimate': [refused({ accountId: a.accountId, recipients: 10 })],
    'campaigns.sendTest': [refused({ accountId: a.accountId, to: '573009990001', template: HELLO })],
    'suppressions.list': [refused({ accountId: a.accountId })],
    'suppressions.add': [refused({ accountId: a.accountId, phone: '573009990001' })],
    'suppressions.remove': [refused({ accountId: a.accountId, phone: A_PHONES[2] })],
    'reports.save': [refused({ id: a.campaignId, format: 'csv', path: `${serve.dataDir}/stolen.csv` })],
    'campaigns.archive': [refused({ id: a.campaignId, archived: true })],
    'campaigns.clone': [refused({ id: a.campaignId, audience: 'all', campaignName: 'copiada' })],
    'webhooks.status': [refused({ accountId: a.accountId })],
    // A tenant may not aim the installation's signed test at an address of its choosing.
    'webhooks.test': [refused({ url: `http://127.0.0.1:${internal.port}/webhook` })],
  }
}

/** A route of the server as fastify names it (`GET /api/campaigns/:id/status`), and the request B makes on it. */
interface RouteProbe {
  route: string
  path: string
  body?: unknown
  own?: boolean
}

/** The seed's REST routes and the report downloads, aimed at A's campaign and account. */
function routesOfB(): RouteProbe[] {
  const id = a.campaignId
  return [
    { route: 'POST /api/campaigns/create', path: '/api/campaigns/create', body: { importId: a.importId, template: HELLO, campaignName: 'robada' } },
    { route: 'GET /api/campaigns/:id/status', path: `/api/campaigns/${id}/status` },
    { route: 'POST /api/campaigns/:id/pause', path: `/api/campaigns/${id}/pause` },
    { route: 'POST /api/campaigns/:id/resume', path: `/api/campaigns/${id}/resume` },
    { route: 'POST /api/campaigns/:id/cancel', path: `/api/campaigns/${id}/cancel` },
    ...['csv', 'xlsx', 'pdf'].map((format) => ({ route: 'GET /api/campaigns/:id/report.:format', path: `/api/campaigns/${id}/report.${format}` })),
    { route: 'GET /api/relay/events', path: '/api/relay/events' },
    {
      route: 'PUT /api/user/meta-credentials',
      path: '/api/user/meta-credentials',
      body: { phoneNumberId: NUMBER.id, wabaId: NUMBER.wabaId, accessToken: TOKEN, graphUrl: `http://127.0.0.1:${internal.port}` },
    },
    { route: 'GET /api/user/meta-credentials', path: '/api/user/meta-credentials', own: true },
    { route: 'GET /api/campaigns', path: '/api/campaigns', own: true },
    { route: 'GET /api/campaigns', path: `/api/campaigns?accountId=${a.accountId}`, own: true },
  ]
}

/** Every `METHOD /path` under /api that `createHttpServer` serves (relay included), read from fastify's route tree. */
async function servedApiRoutes(): Promise<string[]> {
  const app = await createApp({ dataDir: tempDir('routes'), secrets: createSecretBox(Buffer.alloc(32, 5)), mode: 'headless', logger: await createLogger({ silent: true }), startEngine: false })
  const server = await createHttpServer(app, { host: '127.0.0.1', port: 0, relay: true })
  try {
    // Lines such as `│   ├── /:id/status (GET, HEAD)`: four characters of indent per level under the parent.
    const paths: string[] = []
    const routes: string[] = []
    for (const line of server.fastify.printRoutes({ commonPrefix: false }).split('\n')) {
      const match = /^((?:│ {3}| {4})*)[├└]── (\S+)(?: \(([^)]+)\))?$/.exec(line)
      if (!match) continue
      const depth = match[1].length / 4
      paths[depth] = (depth > 0 ? paths[depth - 1] : '') + match[2]
      for (const method of match[3]?.split(', ') ?? []) if (method !== 'HEAD') routes.push(`${method} ${paths[depth]}`)
    }
    return routes.filter((route) => route.split(' ')[1].startsWith('/api/'))
  } finally {
    await server.close()
    await app.close()
  }
}

/** B's live event stream, read in the background: it must carry nothing of A's campaign. */
async function openStream(key: string): Promise<{ text(): string; stop(): void }> {
  const abort = new AbortController()
  const response = await fetch(`${serve.url}/api/events?key=${key}`, { signal: abort.signal })
  expect(response.status).toBe(200)
  let text = ''
  const reader = (response.body as ReadableStream<Uint8Array>).getReader()
  const decoder = new TextDecoder()
  void (async () => {
    try {
      for (;;) {
        const { done, value: chunk } = await reader.read()
        if (done) return
        text += decoder.decode(chunk)
      }
    } catch {
      // Aborted at the end of the suite.
    }
  })()
  return { text: () => text, stop: () => abort.abort() }
}

async function startInternalService(): Promise<typeof internal> {
  let hits = 0
  const server = http.createServer((_req, res) => {
    hits++
    res.writeHead(200, { 'content-type': 'text/html' }).end('<h1>router admin</h1>')
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    port: (server.address() as AddressInfo).port,
    get hits() {
      return hits
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  }
}

beforeAll(async () => {
  internal = await startInternalService()
  closedPort = await freePort()
  const port = await freePort()
  sim = await startSimulator({ accessTokens: [TOKEN], webhook: { url: `http://127.0.0.1:${port}/webhook`, appSecret: APP_SECRET, statuses: false } })
  serve = await startServe({ dataDir: tempDir('hostile'), port, graphUrl: sim.url }, { PREGON_API_KEYS: `${KEY_A}:ana,${KEY_B}:bruno`, PREGON_ADMIN_KEY: ADMIN_KEY })

  // The operator configures Meta's webhook for the whole installation with the admin key.
  await value('installation.set', ADMIN_KEY, { webhookAppSecret: APP_SECRET, webhookVerifyToken: VERIFY_TOKEN })
  streamOfB = await openStream(KEY_B)

  const put = await request(`${serve.url}/api/user/meta-credentials`, {
    method: 'PUT',
    key: KEY_A,
    body: { phoneNumberId: NUMBER.id, wabaId: NUMBER.wabaId, accessToken: TOKEN, maxMessagesPerSecond: 1000 },
  })
  expect(put.status, JSON.stringify(put.body)).toBe(200)
  const accountId = String((put.body as { accountId: string }).accountId)
  const created = await value<{ campaignId: string }>('campaigns.create', KEY_A, {
    contacts: A_PHONES.map((numero, i) => ({ numero, Nombre: `Cliente ${i}` })),
    template: HELLO,
    campaignName: A_CAMPAIGN_NAME,
    pacing: { kind: 'off' },
  })
  await waitFor('A’s campaign to finish', async () => (await value<{ status: string }>('campaigns.get', KEY_A, { id: created.campaignId })).status === 'completed')
  const rows = await value<{ rows: { wamid: string | null }[] }>('campaigns.recipients', KEY_A, { id: created.campaignId })
  await value('suppressions.add', KEY_A, { phone: A_PHONES[2] })
  await value('settings.set', KEY_A, { stopKeywords: ['BAJA'], theme: 'light' })
  const draft = await value<{ importId: string }>('contacts.import', KEY_A, {
    fileName: 'clientes.csv',
    dataBase64: base64(`numero,Nombre\n${A_PHONES.map((p, i) => `${p},Cliente ${i}`).join('\n')}\n`),
  })
  a = { accountId, campaignId: created.campaignId, importId: draft.importId, wamid: String(rows.rows[0].wamid) }
  before = await snapshotOfA()
}, 90_000)

afterAll(async () => {
  streamOfB?.stop()
  await serve?.stop()
  await sim?.stop()
  await internal?.close()
})

describe('a hostile tenant against pregon serve', () => {
  it('has B try every method of the contract', () => {
    expect(Object.keys(probesOfB()).sort()).toEqual(Object.keys(methods).sort())
  })

  it('refuses every contract method B aims at A’s resources or at the installation, and shows B nothing of A’s', async () => {
    for (const [method, probes] of Object.entries(probesOfB())) {
      for (const probe of probes) {
        const what = `${method}(${JSON.stringify(probe.args)})`
        const reply = await api(method, KEY_B, probe.args)
        if (probe.outcome === 'refused') expectRefused(what, reply)
        else expect(reply.status, `${what}: ${JSON.stringify(reply.body)}`).toBe(200)
        if (typeof probe.outcome === 'object') expect(reply.body, what).toEqual({ ok: true, value: probe.outcome.noop })
        expectNothingOfA(what, reply, what)
      }
    }
  }, 60_000)

  it('has B try every route the server serves under /api', async () => {
    // `POST /api/:method` is every contract method (above); `GET /api/events` is B's stream (below).
    const tried = new Set([...routesOfB().map((r) => r.route), 'POST /api/:method', 'GET /api/events'])
    const served = await servedApiRoutes()
    expect(served).toContain('GET /api/campaigns/:id/status')
    expect(served.filter((route) => !tried.has(route))).toEqual([])
  })

  it('refuses every route B aims at A’s campaign and account', async () => {
    for (const route of routesOfB()) {
      const method = route.route.split(' ')[0]
      const what = `${method} ${route.path}`
      const reply = await request(`${serve.url}${route.path}`, { method, key: KEY_B, body: route.body })
      if (route.own) expect(reply.status, `${what}: ${JSON.stringify(reply.body)}`).toBe(200)
      else expectRefused(what, reply)
      expectNothingOfA(what, reply, `${what} ${JSON.stringify(route.body ?? {})}`)
    }
  })

  it('never lets B make the server reach a loopback port, and answers open and closed ports alike', async () => {
    const attempts = [internal.port, closedPort].map((port) =>
      api('accounts.validate', KEY_B, { phoneNumberId: NUMBER.id, wabaId: NUMBER.wabaId, accessToken: TOKEN, graphUrl: `http://127.0.0.1:${port}` }),
    )
    const [open, closed] = await Promise.all(attempts)
    expectRefused('graphUrl to an open port', open)
    expectRefused('graphUrl to a closed port', closed)
    expect(open.body).toEqual(closed.body)
    expect(JSON.stringify(open.body)).not.toContain(String(internal.port))
    expect(internal.hits).toBe(0)
  })

  it('answers B’s forged webhooks 401 and its handshake 403, while the operator’s still work', async () => {
    const forged = messagesWebhook(NUMBER.id, {
      statuses: [statusOf(a.wamid, 'failed', { recipient: A_PHONES[0], errorCode: 132001 })],
      messages: [{ from: A_PHONES[1], id: 'wamid.FORGED-STOP', timestamp: String(Math.floor(Date.now() / 1000)), type: 'text', text: { body: 'STOP' } }],
    })
    expect((await postWebhook(serve.url, forged, B_SECRET)).status).toBe(401)
    expect((await request(`${serve.url}/webhook`, { raw: JSON.stringify(forged) })).status).toBe(401)
    const raw = JSON.stringify(forged)
    expect((await request(`${serve.url}/webhook`, { raw, headers: { 'x-hub-signature-256': sign(raw.replace('failed', 'read'), APP_SECRET) } })).status).toBe(401)

    const handshake = (token: string) => request(`${serve.url}/webhook?hub.mode=subscribe&hub.verify_token=${token}&hub.challenge=4242`)
    expect((await handshake(B_VERIFY)).status).toBe(403)
    const meta = await handshake(VERIFY_TOKEN)
    expect([meta.status, meta.body]).toEqual([200, 4242])
    // Meta's real deliveries, signed with the operator's secret, are still accepted.
    expect((await postWebhook(serve.url, { object: 'whatsapp_business_account', entry: [] }, APP_SECRET)).status).toBe(200)
  })

  it('tells the browser UI that the admin key is the operator and B is not', async () => {
    expect(await value('app.info', ADMIN_KEY)).toMatchObject({ operator: true })
    expect(await value('app.info', KEY_B)).toMatchObject({ operator: false })
  })

  it('leaves every one of A’s campaigns, recipients, accounts, suppressions, settings and the installation as they were', async () => {
    expect(await snapshotOfA()).toEqual(before)
  })

  it('streams none of A’s events to B', () => {
    expect(streamOfB.text()).not.toContain(a.campaignId)
  })
})

describe('network errors a tenant sees', () => {
  /** A tenant's calls that reach the Graph API, on an installation whose Graph API base is `graphUrl`. */
  async function answersWith(graphUrl: string): Promise<unknown[]> {
    const app = await createApp({
      dataDir: tempDir('graph-errors'),
      secrets: createSecretBox(Buffer.alloc(32, 7)),
      mode: 'headless',
      graphUrl,
      logger: await createLogger({ silent: true }),
      startEngine: false,
    })
    try {
      const { user } = await app.store.users.create('tenant')
      const ctx = { userId: user.id }
      const account = await app.store.accounts.create({ userId: user.id, label: 'tienda', phoneNumberId: NUMBER.id, wabaId: NUMBER.wabaId, accessToken: TOKEN, defaultCountry: 'CO' })
      return [
        await app.dispatch(ctx, 'accounts.validate', { phoneNumberId: NUMBER.id, wabaId: NUMBER.wabaId, accessToken: TOKEN }),
        await app.dispatch(ctx, 'accounts.refresh', { id: account.id }),
        await app.dispatch(ctx, 'templates.list', { accountId: account.id, refresh: true }),
        await app.dispatch(ctx, 'campaigns.sendTest', { accountId: account.id, to: '573001234567', template: HELLO }),
      ]
    } finally {
      await app.close()
    }
  }

  it('name no internal address and answer a closed port and a service that is not Meta’s alike', async () => {
    const closed = await answersWith(`http://127.0.0.1:${closedPort}`)
    const open = await answersWith(`http://127.0.0.1:${internal.port}`)
    expect(open).toEqual(closed)
    for (const answer of closed) {
      expect(answer).toMatchObject({ ok: false, error: { code: 'graph_error' } })
      for (const text of [String(closedPort), String(internal.port), '127.0.0.1']) expect(JSON.stringify(answer)).not.toContain(text)
    }
  })
})

describe('accounts an older version stored with a tenant’s graphUrl', () => {
  it('talk to the installation’s Graph API, never to the address the tenant gave', async () => {
    // The suite above pointed an operator's Graph API at this service on purpose; count from here.
    const hits = internal.hits
    const app = await createApp({
      dataDir: tempDir('old-graph-url'),
      secrets: createSecretBox(Buffer.alloc(32, 9)),
      mode: 'headless',
      graphUrl: sim.url,
      logger: await createLogger({ silent: true }),
      startEngine: false,
    })
    try {
      const { user } = await app.store.users.create('tenant')
      const stored = await app.store.accounts.create({
        userId: user.id,
        label: 'de antes',
        phoneNumberId: NUMBER.id,
        wabaId: NUMBER.wabaId,
        accessToken: TOKEN,
        defaultCountry: 'CO',
        graphUrl: `http://127.0.0.1:${internal.port}`,
      })
      const refreshed = await app.dispatch({ userId: user.id }, 'accounts.refresh', { id: stored.id })
      expect(refreshed, JSON.stringify(refreshed)).toMatchObject({ ok: true, value: { verifiedName: NUMBER.verifiedName } })
      const templates = await app.dispatch({ userId: user.id }, 'templates.list', { accountId: stored.id })
      expect(templates.ok, JSON.stringify(templates)).toBe(true)
      expect(internal.hits).toBe(hits)
    } finally {
      await app.close()
    }
  })
})
