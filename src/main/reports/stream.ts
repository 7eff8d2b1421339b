// Writing to a Node stream with backpressure, and finishing it.

import { once } from 'node:events'
import { finished } from 'node:stream/promises'
import type { Writable } from 'node:stream'

/** Waits for 'drain' when the stream's buffer is full, so a slow client slows the ledger reads. */
export async function writeChunk(out: Writable, chunk: string | Buffer): Promise<void> {
  if (!out.write(chunk)) await once(out, 'drain')
}

export async function endStream(out: Writable): Promise<void> {
  out.end()
  await finished(out)
}
