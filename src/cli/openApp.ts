// Opens the one composition root for a CLI command, with the headless secret key and the local user.

import { createApp, type App } from '../main/app'
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
  const logger = await createLogger({ dataDir, stdout: Boolean(opts.verbose) })
  const app = await createApp({
    dataDir,
    secrets: createSecretBox(loadHeadlessKey(dataDir)),
    mode: 'headless',
    graphUrl: opts.graphUrl,
    graphVersion: opts.graphVersion,
    // The same database `pregon serve --mongodb` uses, when the environment names one.
    mongodbUri: process.env.PREGON_MONGODB_URI || undefined,
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
