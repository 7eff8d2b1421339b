// "Open with Pregón" on a .csv or .xlsx: the path arrives in argv (first start, Windows/Linux), in a
// second launch's argv, or in macOS's open-file event; the window is told once its page listens.

import { basename, extname, resolve } from 'node:path'

/** Sent on 'api:event': the renderer opens the importer on this file. */
export const OPEN_FILE_EVENT = 'app:openFile'
export interface OpenFilePayload {
  path: string
  fileName: string
}

/** What the importer reads and the installers associate (electron-builder.yml, installer.nsh). */
const IMPORTABLE = new Set(['.csv', '.txt', '.xlsx', '.xls'])

/** The last importable file among a launch's arguments (flags and the app's own path are skipped), absolute. */
export function fileToOpen(argv: readonly string[], cwd: string): string | null {
  const files = argv.slice(1).filter((arg) => !arg.startsWith('-') && IMPORTABLE.has(extname(arg).toLowerCase()))
  const last = files.at(-1)
  return last === undefined ? null : resolve(cwd, last)
}

export function openFilePayload(path: string): OpenFilePayload {
  return { path, fileName: basename(path) }
}

/**
 * Holds the file until the renderer can take it: a path from argv arrives before the page has loaded,
 * and an event sent then would be lost. Only the latest file is kept: one import at a time.
 */
export class OpenFileInbox {
  private pending: string | null = null
  private ready = false

  constructor(private readonly deliver: (payload: OpenFilePayload) => void) {}

  receive(path: string): void {
    this.pending = path
    this.flush()
  }

  /** The page has started and subscribed to events (it asked for app.info). */
  rendererReady(): void {
    this.ready = true
    this.flush()
  }

  /** The page is reloading or gone: hold files until it is back. */
  rendererGone(): void {
    this.ready = false
  }

  private flush(): void {
    if (!this.ready || this.pending === null) return
    const path = this.pending
    this.pending = null
    this.deliver(openFilePayload(path))
  }
}
