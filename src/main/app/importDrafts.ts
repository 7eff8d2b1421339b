// Contact lists imported by the UI and not yet sent: kept on disk (JSON lines, one contact a line)
// under the data directory, so a 100,000-row import does not travel back and forth or sit in memory.

import { createReadStream, createWriteStream, readdirSync, rmSync, statSync } from 'node:fs'
import { once } from 'node:events'
import path from 'node:path'
import readline from 'node:readline'
import { randomUUID } from 'node:crypto'
import type { SeedContact } from '../../shared/types'
import { AppError } from '../../shared/errors'
import { makePrivateDir, PRIVATE_FILE_MODE } from '../fs/privateFiles'

const MAX_AGE_MS = 7 * 24 * 60 * 60 * 1000

export class ImportDrafts {
  constructor(private readonly dir: string) {}

  private file(userId: string, importId: string): string {
    if (!/^[a-zA-Z0-9_-]+$/.test(importId) || !/^[a-zA-Z0-9_-]+$/.test(userId)) throw new AppError('invalid_args', 'importId is not valid')
    return path.join(this.dir, `${userId}.${importId}.jsonl`)
  }

  /** Starts a draft; write contacts in batches, then `end()`. */
  async create(userId: string): Promise<{ importId: string; write(batch: SeedContact[]): Promise<void>; end(): Promise<void> }> {
    makePrivateDir(this.dir)
    this.prune()
    const importId = randomUUID()
    const out = createWriteStream(this.file(userId, importId), { encoding: 'utf8', mode: PRIVATE_FILE_MODE })
    return {
      importId,
      async write(batch) {
        if (batch.length === 0) return
        if (!out.write(batch.map((c) => JSON.stringify(c)).join('\n') + '\n')) await once(out, 'drain')
      },
      async end() {
        out.end()
        await once(out, 'finish')
      },
    }
  }

  /** The contacts of an import, `size` at a time, in file order: a 1,000,000-row import is never all in memory. */
  async *batches(userId: string, importId: string, size: number): AsyncIterable<SeedContact[]> {
    const file = this.file(userId, importId)
    try {
      statSync(file)
    } catch {
      throw new AppError('not_found', 'That contact import is gone (older than 7 days or from another user): import the file again.')
    }
    let batch: SeedContact[] = []
    const lines = readline.createInterface({ input: createReadStream(file, { encoding: 'utf8' }), crlfDelay: Infinity })
    for await (const line of lines) {
      if (!line) continue
      batch.push(JSON.parse(line) as SeedContact)
      if (batch.length < size) continue
      yield batch
      batch = []
    }
    if (batch.length > 0) yield batch
  }

  /** An import that was only a step (the CLI's `send`): gone once its campaign exists. */
  remove(userId: string, importId: string): void {
    rmSync(this.file(userId, importId), { force: true })
  }

  private prune(): void {
    const now = Date.now()
    for (const name of readdirSync(this.dir)) {
      const file = path.join(this.dir, name)
      if (now - statSync(file).mtimeMs > MAX_AGE_MS) rmSync(file, { force: true })
    }
  }
}
