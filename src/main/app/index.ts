// The one composition root: store + Cloud API client + engine + handlers + events. Electron, `pregon
// serve`, the CLI, workers and tests all call createApp, so every piece of logic exists once.

import path from 'node:path'
import type { ApiMethod } from '../../shared/contract'
import type { ApiResult } from '../../shared/errors'
import { createEngine, DEFAULT_ENGINE_CONFIG, systemClock, type Engine, type EngineConfig } from '../engine'
import { closeLogger, createLogger, type Logger } from '../log/logger'
import type { SecretBox, Store } from '../store/ports'
import { openMongoStore } from '../store/mongo'
import { openSqliteStore } from '../store/sqlite'
import { createCloudApi, createTemplateCache, graphDefaults, type TemplateCache } from '../whatsapp/client'
import type { CloudApi } from '../whatsapp/types'
import { dispatch, type CallContext, type Handlers } from './dispatch'
import { EventBus } from './eventBus'
import { accountHandlers } from './handlers/accounts'
import { appHandlers } from './handlers/app'
import { installationHandlers } from './handlers/installation'
import { campaignHandlers } from './handlers/campaigns'
import { contactHandlers } from './handlers/contacts'
import { suppressionHandlers } from './handlers/suppressions'
import { reportHandlers } from './handlers/reports'
import { campaignCopyHandlers } from './handlers/campaignCopies'
import { webhookCheckHandlers } from './handlers/webhookCheck'
import { storageHandlers } from './handlers/storage'
import { mirrorService } from './mirrorService'
import { ImportDrafts } from './importDrafts'
import { acquireEngineLock } from './engineLock'
import { tightenDataDir } from '../fs/privateFiles'

export interface AppConfig {
  dataDir: string
  secrets: SecretBox
  mode: 'desktop' | 'headless'
  /** Defaults: PREGON_GRAPH_URL / PREGON_GRAPH_VERSION, else graph.facebook.com and v25.0. */
  graphUrl?: string
  graphVersion?: string
  /** Where the demo account sends (the built-in simulator); null disables the demo account. */
  simulatorUrl?: string | null
  logger?: Logger
  engine?: Partial<EngineConfig>
  osLanguage?: 'es' | 'en'
  version?: string
  /** Start the engine (recovery) right away. Default true. */
  startEngine?: boolean
  /** Where SQLite's native module is (packaged desktop: outside app.asar). */
  sqliteNativeBinding?: string
  /** Tests may pass their own store (another backend). */
  store?: Store
  /** Keep everything in this MongoDB (its database from the URI's path, `pregon` when none) instead of SQLite in dataDir. */
  mongodbUri?: string
  /** MongoDB was chosen in Settings → Storage but did not answer at start: SQLite's data is shown and nothing sends. */
  mongodbUnreachable?: { target: string; detail: string }
}

/** Everything a handler may use. */
export interface AppServices {
  config: AppConfig
  store: Store
  api: CloudApi
  engine: Engine
  events: EventBus
  log: Logger
  /** The accounts' approved templates, cached (Meta's management quota is small). */
  templates: TemplateCache
  imports: ImportDrafts
  graph: { graphUrl: string; version: string }
  /** False for CLI commands that only read or configure: new campaigns wait for whoever sends. */
  engineActive: boolean
  /**
   * How webhooks come in, set by whoever runs the intake (serve, the desktop): this installation's own
   * `/webhook` URL once it listens, and the relay it pulls from (a flag, the environment or settings).
   */
  webhookEndpoint: { url: string | null; relayUrl: string | null }
}

export interface App extends AppServices {
  handlers: Handlers
  dispatch(ctx: CallContext, method: ApiMethod | string, args: unknown): Promise<ApiResult<unknown>>
  /** Finishes in-flight sends, records them, closes the database. */
  close(): Promise<void>
}

export async function createApp(config: AppConfig): Promise<App> {
  // Before anything is opened: files an older version left readable by others are tightened first.
  tightenDataDir(config.dataDir)
  const log = config.logger ?? (await createLogger({ dataDir: config.dataDir, stdout: config.mode === 'headless' }))
  // A held start never sends: campaigns in the chosen MongoDB must not be sent again from another store.
  const sending = config.startEngine !== false && !config.mongodbUnreachable
  const store =
    config.store ??
    (config.mongodbUri
      ? await openMongoStore({ uri: config.mongodbUri, secrets: config.secrets })
      : openSqliteStore({ dataDir: config.dataDir, secrets: config.secrets, nativeBinding: config.sqliteNativeBinding }))
  const defaults = graphDefaults()
  const graph = { graphUrl: config.graphUrl ?? defaults.graphUrl, version: config.graphVersion ?? defaults.version }
  // As many sockets as a number may have requests in flight: a socket carries one request at a time.
  const api = createCloudApi({ connections: config.engine?.maxInFlightPerNumber ?? DEFAULT_ENGINE_CONFIG.maxInFlightPerNumber })
  const events = new EventBus()
  const engine = createEngine({
    store,
    api,
    clock: systemClock,
    emit: (name, payload) => events.emit(name, payload),
    log,
    config: { graphVersion: graph.version, defaultGraphUrl: graph.graphUrl, ...config.engine },
  })
  const services: AppServices = {
    config,
    store,
    api,
    engine,
    events,
    log,
    templates: createTemplateCache(api, 10 * 60_000),
    imports: new ImportDrafts(path.join(config.dataDir, 'imports')),
    graph,
    engineActive: sending,
    webhookEndpoint: { url: null, relayUrl: null },
  }
  const mirror = mirrorService(services)
  const handlers: Handlers = {
    ...appHandlers(services),
    ...installationHandlers(services),
    ...accountHandlers(services),
    ...contactHandlers(services),
    ...campaignHandlers(services),
    ...suppressionHandlers(services),
    ...reportHandlers(services),
    ...campaignCopyHandlers(services),
    ...webhookCheckHandlers(services),
    ...storageHandlers({ ...services, mirror }),
  }
  const releaseLock = sending ? acquireEngineLock(config.dataDir) : () => {}
  if (sending) {
    await engine.start()
    // The process that sends is the one that mirrors what it sends.
    await mirror.apply()
  }

  let closed = false
  return {
    ...services,
    handlers,
    dispatch: (ctx, method, args) => dispatch(handlers, ctx, method, args, log),
    async close() {
      if (closed) return
      closed = true
      await mirror.stop()
      await engine.stop()
      await api.close()
      await store.close()
      releaseLock()
      closeLogger(log)
    },
  }
}
