// `pregon serve`: the app, its users, the HTTP server, webhook processing, an optional relay consumer and
// the demo simulator, wired together and shut down cleanly on SIGTERM/SIGINT.

import { randomBytes } from 'node:crypto'
import net from 'node:net'
import path from 'node:path'
import { createApp, type App } from '../app'
import { ensureWebhookAppSecret, relayApiKey, relayUrl as savedRelayUrl } from '../app/handlers/installation'
import { createWebhookProcessor, type WebhookProcessor } from '../app/webhookProcessor'
import { startRelayConsumer, type RelayConsumer } from '../app/relayConsumer'
import { chooseStartStore, startStoreConfig } from '../app/storeChoice'
import type { EngineConfig } from '../engine'
import { redactMongoUri } from '../store/transfer/location'
import { createSecretBox, loadHeadlessKey } from '../store/secrets'
import { startSimulator, type Simulator } from '../../sim'
import { parseApiKeys } from './auth'
import { createHttpServer, rateLimitFromEnv, type HttpServer, type RateLimitOptions } from './server'

export interface ServeOptions {
  dataDir: string
  /** Keep the data in this MongoDB instead of SQLite (env PREGON_MONGODB_URI); logs, keys and settings files stay in dataDir. */
  mongodbUri?: string
  /** Default 127.0.0.1. */
  host?: string
  /** Default 8787; 0 picks a free port. */
  port?: number
  graphUrl?: string
  /** Serve `GET /api/relay/events` for desktops. */
  relay?: boolean
  /** Pull webhooks from this relay (env PREGON_RELAY_URL); its key: env PREGON_RELAY_API_KEY or settings. */
  relayUrl?: string
  relayApiKey?: string
  /** Start the simulator and a `demo` user with the demo account. */
  demo?: boolean
  /** `key:user,…`; default env PREGON_API_KEYS. */
  apiKeys?: string
  /** The operator's key over HTTP (installation settings); default env PREGON_ADMIN_KEY. */
  adminKey?: string
  /** The renderer build; default out/renderer next to the CLI bundle, or env PREGON_WEB_ROOT. */
  webRoot?: string
  /** Default from ENABLE_RATE_LIMIT / RATE_LIMIT_WINDOW_MS / RATE_LIMIT_MAX. */
  rateLimit?: RateLimitOptions
  engine?: Partial<EngineConfig>
  /** Exit cleanly on SIGTERM/SIGINT. Default true. */
  handleSignals?: boolean
  /** Where the startup lines go; default console.log. */
  print?: (line: string) => void
  version?: string
}

export interface RunningServe {
  url: string
  app: App
  http: HttpServer
  webhooks: WebhookProcessor
  simulator: Simulator | null
  relayConsumer: RelayConsumer | null
  /** The demo user's key (with --demo). */
  demoKey: string | null
  /** Stops accepting requests, stops the relay consumer, lets in-flight sends finish and be recorded. */
  close(): Promise<void>
}

const DEMO_KEY_SETTING = 'demo:apiKey'
const DEMO_USER = 'demo'

export async function runServe(opts: ServeOptions): Promise<RunningServe> {
  const print = opts.print ?? ((line: string) => console.log(line))
  const host = opts.host ?? '127.0.0.1'
  const rateLimit = opts.rateLimit ?? rateLimitFromEnv()
  const keys = parseApiKeys(opts.apiKeys ?? process.env.PREGON_API_KEYS)
  const adminKey = checkAdminKey(opts.adminKey ?? process.env.PREGON_ADMIN_KEY)
  // The simulator and this server must know each other's URL before either starts, so both ports are fixed first.
  const port = opts.demo && (opts.port ?? 8787) === 0 ? await freePort(host) : (opts.port ?? 8787)
  const simulatorPort = opts.demo ? await freePort('127.0.0.1') : null
  const simulatorUrl = simulatorPort ? `http://127.0.0.1:${simulatorPort}` : null

  const secrets = createSecretBox(loadHeadlessKey(opts.dataDir))
  // --mongodb / PREGON_MONGODB_URI win; else what Settings → Storage saved, tested before anything opens.
  const start = await chooseStartStore({ dataDir: opts.dataDir, secrets, flagUri: opts.mongodbUri })
  const app = await createApp({
    dataDir: opts.dataDir,
    secrets,
    mode: 'headless',
    // The Graph API base is the installation's: the flag, else the environment, else (with --demo) the simulator.
    graphUrl: opts.graphUrl ?? (process.env.PREGON_GRAPH_URL || simulatorUrl || undefined),
    simulatorUrl,
    ...startStoreConfig(start),
    engine: opts.engine,
    version: opts.version ?? process.env.npm_package_version,
  })

  let http: HttpServer | null = null
  let simulator: Simulator | null = null
  let relayConsumer: RelayConsumer | null = null
  let webhooks: WebhookProcessor | null = null
  try {
    for (const { key, name } of keys) await app.store.users.upsertWithKey(name, key)
    const demoKey = opts.demo ? await ensureDemoUser(app) : null
    const appSecret = opts.demo ? await ensureWebhookAppSecret(app) : null

    webhooks = createWebhookProcessor(app)
    const processor = webhooks
    http = await createHttpServer(app, {
      host,
      port,
      relay: opts.relay,
      webRoot: opts.webRoot ?? process.env.PREGON_WEB_ROOT ?? path.resolve(__dirname, '..', 'renderer'),
      rateLimit,
      adminKey,
      onWebhookStored: () => processor.kick(),
    })
    app.webhookEndpoint.url = `${http.url}/webhook`
    // Deliveries stored but not applied before the last stop.
    processor.kick()

    if (simulatorPort && appSecret) {
      simulator = await startSimulator({
        host: '127.0.0.1',
        port: simulatorPort,
        webhook: { url: `${http.url}/webhook`, appSecret, statuses: true },
      })
      const demoUser = await app.store.users.findByApiKey(demoKey as string)
      if (demoUser) {
        const added = await app.dispatch({ userId: demoUser.id }, 'accounts.addDemo', {})
        if (!added.ok) print(`The demo account could not be added: ${added.error.message}`)
      }
    }

    const relayUrl = opts.relayUrl ?? process.env.PREGON_RELAY_URL ?? (await savedRelayUrl(app))
    if (relayUrl) {
      const apiKey = opts.relayApiKey ?? process.env.PREGON_RELAY_API_KEY ?? (await relayApiKey(app))
      if (!apiKey) throw new Error('--relay-url needs the relay\'s API key: set PREGON_RELAY_API_KEY (a key created on the relay with `pregon users add`).')
      relayConsumer = await startRelayConsumer(app, { relayUrl, apiKey, onStored: () => processor.kick() })
      app.webhookEndpoint.relayUrl = relayUrl
    }

    // The URI's user, password and options (which may hold a certificate's password) are never printed.
    const data = start.kind === 'mongodb' ? `MongoDB ${redactMongoUri(start.uri)}` : opts.dataDir
    // Said before "serving on", which whoever waits for the start reads as "ready".
    if (start.kind === 'held') {
      print(`MongoDB at ${start.target} cannot be reached (${start.detail}): campaigns are NOT sending. ` +
        'Restart once it answers, or choose SQLite in Settings → Storage and restart.')
    }
    print(`Pregón is serving on ${http.url} (data: ${data})${opts.relay ? ' as a webhook relay' : ''}`)
    print(`Meta webhook callback URL: ${http.url}/webhook`)
    if (demoKey) print(`Open the demo in a browser: ${http.url}/#key=${demoKey}`)
    else if ((await app.store.users.list()).length === 0) print('No users yet: create one with `pregon users add NAME` (it prints the API key).')

    const running = assemble(app, http, webhooks, simulator, relayConsumer, demoKey)
    if (opts.handleSignals !== false) handleSignals(running, print)
    return running
  } catch (error) {
    await relayConsumer?.stop()
    await http?.close()
    await webhooks?.close()
    await app.close()
    await simulator?.stop()
    throw error
  }
}

function assemble(
  app: App,
  http: HttpServer,
  webhooks: WebhookProcessor,
  simulator: Simulator | null,
  relayConsumer: RelayConsumer | null,
  demoKey: string | null,
): RunningServe {
  let closing: Promise<void> | null = null
  return {
    url: http.url,
    app,
    http,
    webhooks,
    simulator,
    relayConsumer,
    demoKey,
    close() {
      closing ??= (async () => {
        await http.close()
        await relayConsumer?.stop()
        await webhooks.close()
        // In-flight sends finish and are recorded before the database closes.
        await app.close()
        await simulator?.stop()
      })()
      return closing
    },
  }
}

function handleSignals(running: RunningServe, print: (line: string) => void): void {
  const stop = (signal: NodeJS.Signals): void => {
    print(`${signal}: finishing in-flight sends and stopping…`)
    running.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(`pregon: could not stop cleanly: ${error instanceof Error ? error.message : String(error)}`)
        process.exit(1)
      },
    )
  }
  process.once('SIGTERM', stop)
  process.once('SIGINT', stop)
}

/** The demo user's key survives restarts (sealed in settings) so a bookmarked `#key=` URL keeps working. */
async function ensureDemoUser(app: App): Promise<string> {
  const sealed = await app.store.settings.get<string>(DEMO_KEY_SETTING)
  const key = sealed ? app.config.secrets.open(sealed) : `pk_demo_${randomBytes(24).toString('base64url')}`
  await app.store.users.upsertWithKey(DEMO_USER, key)
  if (!sealed) await app.store.settings.set(DEMO_KEY_SETTING, app.config.secrets.seal(key))
  return key
}

/** A short admin key could be guessed, and it unlocks the whole installation's settings. */
function checkAdminKey(key: string | undefined): string | null {
  if (!key) return null
  if (key.length < 16) throw new Error('PREGON_ADMIN_KEY is too short: use at least 16 random characters (e.g. `openssl rand -hex 24`).')
  return key
}

function freePort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer()
    probe.once('error', reject)
    probe.listen(0, host, () => {
      const address = probe.address()
      const port = typeof address === 'object' && address ? address.port : 0
      probe.close(() => resolve(port))
    })
  })
}
