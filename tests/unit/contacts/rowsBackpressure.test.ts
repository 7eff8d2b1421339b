// A CSV is read only as fast as its rows are taken: papaparse's own pause stops parsing but not the
// stream, and its queue once held the whole of a 1,000,000-row file (the growth bench's peak memory).
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { openRows } from '../../../src/main/contacts/rows'

const ROWS = 200_000
let dir: string
let file: string

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pregon-rows-'))
  file = join(dir, 'contacts.csv')
  const lines = Array.from({ length: ROWS }, (_, i) => `José Núñez ${i};+57 300 ${String(i).padStart(7, '0')};Bogotá`)
  await writeFile(file, `Nombre;Celular;Ciudad\r\n${lines.join('\r\n')}\r\n`)
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

it('stops reading the file while the rows already read wait, and still gives every row', async () => {
  const opened = await openRows({ path: file })
  let taken = 0
  let readWhileWaiting = 0
  for await (const row of opened.rows) {
    taken++
    expect(row.line).toBe(taken)
    if (taken !== 1_000) continue
    // A consumer busy elsewhere (a store write): the reader must not run ahead to the end of the file.
    await sleep(300)
    readWhileWaiting = opened.bytesRead()
  }
  expect(taken).toBe(ROWS + 1)
  expect(opened.totalBytes).toBeGreaterThan(7 * 2 ** 20)
  expect(readWhileWaiting).toBeLessThan(2 * 2 ** 20)
})
