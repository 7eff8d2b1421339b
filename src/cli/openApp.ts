// Opens the one composition root for a CLI command, with the headless secret key and the local user.

import { createApp, type App } from '../main/app'
import { chooseStartStore } from '../main/app/storeChoice'
import { createLogger } from '../main/log/logger'
import { createSecretBox, loadHeadlessKey } from '../main/store/secrets'
import { resolveDataDir } from './dataDir'

export interface CliAppOptions {
  dataDir?: string
  graphUrl?: string
  graphVersion?: string
  /** Start the engine (recover and send). Commands that only read or write settings pass false. */
  engine?: boolean
  /** Log lines to stdout too (serve). Interactive commands keep stdout for the user and log to the file. */
  verbose?: boolean
}

export async function openCliApp(opts: CliAppOptions): Promise<{ app: App; userId: string; dataDir: string }> {
  const dataDir = resolveDataDir(opts.dataDir)
  const secrets = createSecretBox(loadHeadlessKey(dataDir))
  // The same store `pregon serve` opens: PREGON_MONGODB_URI, else the one chosen in Settings → Storage.
  const start = await chooseStartStore({ dataDir, secrets, flagUri: process.env.PREGON_MONGODB_URI || undefined })
  // A command must not read or change this folder's SQLite while the installation's data is in a MongoDB that is away.
  if (start.kind === 'held') {
    throw new Error(`MongoDB at ${start.target} cannot be reached (${start.detail}). Try again once it answers, ` +
      'or choose SQLite in Settings → Storage.')
  }
  const logger = await createLogger({ dataDir, stdout: Boolean(opts.verbose) })
  const app = await createApp({
    dataDir,
    secrets,
    mode: 'headless',
    graphUrl: opts.graphUrl,
    graphVersion: opts.graphVersion,
    mongodbUri: start.kind === 'mongodb' ? start.uri : undefined,
    logger,
    startEngine: opts.engine ?? false,
    version: process.env.npm_package_version,
  })
  const user = await app.store.users.ensureLocal()
  return { app, userId: user.id, dataDir }
}

/** Prints an ApiResult's error for a person and exits non-zero, or returns the value. */
export function unwrap<T>(result: { ok: true; value: T } | { ok: false; error: { message: string } }): T {
  if (result.ok) return result.value
  console.error(`pregon: ${result.error.message}`)
  process.exit(1)
}
