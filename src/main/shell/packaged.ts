// Where things are once electron-builder has packed the app (see electron-builder.yml): the native
// SQLite binding outside the asar archive, and the update feed electron-builder writes beside it.

import { existsSync } from 'node:fs'
import { join } from 'node:path'

/** asarUnpack in electron-builder.yml puts exactly this file outside app.asar. */
export const SQLITE_BINDING_IN_APP = ['node_modules', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node'] as const

/**
 * A .node file cannot be loaded from inside app.asar. In a packaged app better-sqlite3 is told where
 * its unpacked binding is, instead of leaving `bindings` to guess from a stack trace; from a clone
 * (npm start, tests) it finds its own build as usual.
 */
export function sqliteNativeBinding(app: { isPackaged: boolean }, resourcesPath: string): string | undefined {
  if (!app.isPackaged) return undefined
  const file = join(resourcesPath, 'app.asar.unpacked', ...SQLITE_BINDING_IN_APP)
  return existsSync(file) ? file : undefined
}

/** electron-builder writes app-update.yml only when the build was given a publish feed. */
export function updateFeedConfigured(resourcesPath: string): boolean {
  return existsSync(join(resourcesPath, 'app-update.yml'))
}
