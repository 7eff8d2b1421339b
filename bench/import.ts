// Import benchmarks: 100,000 rows parsed, normalised, de-duplicated and stored in SQLite (rows/s), and the peak
// RSS of a 1,000,000-row import measured in a child process of its own.

import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { createWriteStream } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { once } from 'node:events'
import { streamContacts, toNewRecipient } from '../src/main/contacts/importer'
import type { NewRecipient } from '../src/main/store/ports'
import { openBenchStore } from './benchStore'

const CHILD_FLAG = '--pregon-bench-child=import1m'
/** Colombian mobile prefixes, so numbers are valid like a real list's. */
const MOBILE_PREFIXES = ['300', '301', '304', '310', '311', '315', '316', '320', '321', '350']

/** Rows as a shop's export looks: mixed phone formats, accents, a few duplicates and bad numbers. */
export async function writeContactsCsv(file: string, rows: number): Promise<void> {
  const out = createWriteStream(file)
  const write = async (text: string): Promise<void> => {
    if (!out.write(text)) await once(out, 'drain')
  }
  await write('Nombre;Celular;Ciudad;Saldo\r\n')
  const formats = [
    (n: string) => `+57 ${n.slice(0, 3)} ${n.slice(3, 6)} ${n.slice(6)}`,
    (n: string) => `(${n.slice(0, 3)}) ${n.slice(3, 6)}-${n.slice(6)}`,
    (n: string) => `57${n}`,
    (n: string) => n,
  ]
  let chunk = ''
  for (let i = 0; i < rows; i++) {
    // Every 50th row repeats an earlier number; every 200th is too short.
    const id = i % 50 === 49 ? i - 7 : i
    const national = `${MOBILE_PREFIXES[id % MOBILE_PREFIXES.length]}${String(id).padStart(7, '0')}`
    const phone = i % 200 === 199 ? national.slice(0, 7) : formats[i % formats.length](national)
    chunk += `José Núñez ${i};${phone};Bogotá;${(i * 37) % 100_000}\r\n`
    if (chunk.length > 64 * 1024) {
      await write(chunk)
      chunk = ''
    }
  }
  await write(chunk)
  out.end()
  await once(out, 'finish')
}

export interface ImportBench {
  importRowsPerSec100k: number
  seconds: number
  rows: number
  accepted: number
  rejected: number
}

/** parse + normalise + dedupe + store (one CampaignStore.create into a real pregon.db) of 100,000 rows. */
export async function benchImport100k(rows = 100_000): Promise<ImportBench> {
  const bench = await openBenchStore('import')
  const file = path.join(bench.dir, 'contacts.csv')
  try {
    await writeContactsCsv(file, rows)
    const started = performance.now()
    const recipients: NewRecipient[] = []
    const summary = await streamContacts(
      { path: file },
      { defaultCountry: 'CO', onContacts: (batch) => void recipients.push(...batch.map(toNewRecipient)) },
    )
    await bench.newCampaign('bench import', recipients)
    const seconds = (performance.now() - started) / 1_000
    return {
      importRowsPerSec100k: Math.round(summary.rows / seconds),
      seconds: Number(seconds.toFixed(3)),
      rows: summary.rows,
      accepted: summary.valid,
      rejected: summary.invalid + summary.duplicates,
    }
  } finally {
    await bench.close()
  }
}

export interface Import1MBench {
  importPeakRssMb1M: number
  seconds: number
  rows: number
  accepted: number
}

/** The child's work: generate and stream-import 1,000,000 rows, keeping nothing but counts; prints JSON. */
export async function runImport1MChild(rows = 1_000_000): Promise<Import1MBench> {
  const dir = await mkdtemp(path.join(tmpdir(), 'pregon-bench-import1m-'))
  try {
    const file = path.join(dir, 'contacts.csv')
    await writeContactsCsv(file, rows)
    const started = performance.now()
    let accepted = 0
    const summary = await streamContacts(
      { path: file },
      { defaultCountry: 'CO', onContacts: (batch) => void (accepted += batch.map(toNewRecipient).length) },
    )
    return {
      // maxRSS is in kilobytes: the whole child's high-water mark, generation included.
      importPeakRssMb1M: Math.round(process.resourceUsage().maxRSS / 1024),
      seconds: Number(((performance.now() - started) / 1_000).toFixed(3)),
      rows: summary.rows,
      accepted,
    }
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}

/** The repository root, found from this file whether it runs from source or from the built CLI. */
function repoRoot(): string {
  const starts = [__dirname, process.cwd()].filter((start) => path.isAbsolute(start))
  for (const start of starts) {
    for (let dir = start; dir !== path.dirname(dir); dir = path.dirname(dir)) {
      if (existsSync(path.join(dir, 'bench', 'import.ts')) && existsSync(path.join(dir, 'package.json'))) return dir
    }
  }
  throw new Error(`bench/import.ts not found above ${starts.join(' or ')}`)
}

/** Runs `runImport1MChild` in a fresh Node process (via tsx) so the peak RSS is the import's alone. */
export async function benchImport1M(): Promise<Import1MBench> {
  const root = repoRoot()
  const { stdout } = await new Promise<{ stdout: string }>((resolve, reject) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', path.join(root, 'bench', 'import.ts'), CHILD_FLAG],
      { cwd: root, maxBuffer: 1024 * 1024, timeout: 10 * 60_000 },
      (error, out, err) => (error ? reject(new Error(`${error.message}\n${err}`)) : resolve({ stdout: out })),
    )
  })
  return JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as Import1MBench
}

if (process.argv.includes(CHILD_FLAG)) {
  runImport1MChild().then(
    (result) => {
      process.stdout.write(`${JSON.stringify(result)}\n`)
      process.exit(0)
    },
    (error: unknown) => {
      console.error(error)
      process.exit(1)
    },
  )
}
