// `npm run bench`: every benchmark in one run, side by side; writes bench/results/latest.json and
// prints a table with each figure against its target. Targets are checked here, never in tests.
// `npm run bench -- engine import` runs only the named groups.

// The engine runs in this process for the throughput figures: tuned as the app and the CLI are.
import '../src/main/runtime/tuneV8'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { benchMongoThroughput, benchPacing1000, benchPacing80, benchRss100k, benchSeedProfile, benchThrottled, benchThroughput } from './engine'
import { benchImport100k, benchImport1M } from './import'
import { benchXlsxReport100k } from './reports'
import { benchWebhookIngest } from './webhooks'
import { benchApiUnderLoad } from './apiLoad'
import { benchGrowth, growthRatios, type GrowthPoint } from './growth'
import { benchRecipientsPage } from './recipients'
import { benchMirrorOverhead } from './mirror'

/** Figures are numbers, or a series of them by size (growth). */
type Figures = Record<string, number | Record<string, GrowthPoint>>

interface Metric {
  key: string
  target: string
  ok: (v: number) => boolean | null
}

const METRICS: Metric[] = [
  { key: 'engineMsgPerSec', target: '≥ 2,000', ok: (v) => v >= 2_000 },
  { key: 'rawHttpMsgPerSec', target: '(reference)', ok: () => null },
  { key: 'engineToRawRatio', target: '≥ 0.8', ok: (v) => v >= 0.8 },
  { key: 'ledgerUsPerMsg', target: '(reported)', ok: () => null },
  { key: 'mongoEngineMsgPerSec', target: '(reported)', ok: () => null },
  { key: 'pacingErrorPct80mps', target: '≤ 2', ok: (v) => v <= 2 },
  { key: 'pacingErrorPct1000mps', target: '≤ 2', ok: (v) => v <= 2 },
  { key: 'throttledThroughputPct', target: '≥ 90', ok: (v) => v >= 90 },
  { key: 'throttleErrorPct', target: '≤ 1', ok: (v) => v <= 1 },
  { key: 'seedProfileMaxErrorPct', target: '≤ 5', ok: (v) => v <= 5 },
  { key: 'peakRssMb100k', target: '≤ 120', ok: (v) => v <= 120 },
  { key: 'webhookEventsPerSec', target: '≥ 5,000', ok: (v) => v >= 5_000 },
  { key: 'apiP99MsUnderLoad', target: '(reported)', ok: () => null },
  { key: 'importRowsPerSec100k', target: '≥ 33,000', ok: (v) => v >= 33_000 },
  { key: 'importPeakRssMb1M', target: 'bounded', ok: () => null },
  { key: 'xlsxReportSec100k', target: '≤ 5', ok: (v) => v <= 5 },
  { key: 'recipientsPageWorstMs1M', target: '(reported)', ok: () => null },
  { key: 'growthRssRatio1MTo100k', target: '≤ 1.3', ok: (v) => v <= 1.3 },
  { key: 'growthMsgRatio1MTo10k', target: '≥ 0.8', ok: (v) => v >= 0.8 },
  { key: 'engineMsgPerSecMirrorOff', target: '(reference)', ok: () => null },
  { key: 'engineMsgPerSecMirrorOn', target: '(reported)', ok: () => null },
  { key: 'mirrorOverheadPct', target: '≤ 5', ok: (v) => v <= 5 },
]

const GROUPS: Record<string, () => Promise<Figures>> = {
  throughput: async () => ({ ...(await benchThroughput()) }),
  mongo: async () => ({ ...(await benchMongoThroughput()) }),
  pacing: async () => ({ ...(await benchPacing80()) }),
  pacing1000: async () => ({ ...(await benchPacing1000()) }),
  throttled: async () => ({ ...(await benchThrottled()) }),
  rss: async () => ({ ...(await benchRss100k()) }),
  seed: async () => ({ ...(await benchSeedProfile()) }),
  webhooks: async () => ({ ...(await benchWebhookIngest()) }),
  api: async () => ({ apiP99MsUnderLoad: (await benchApiUnderLoad()).apiP99MsUnderLoad }),
  import: async () => ({
    importRowsPerSec100k: (await benchImport100k()).importRowsPerSec100k,
    importPeakRssMb1M: (await benchImport1M()).importPeakRssMb1M,
  }),
  reports: async () => ({ xlsxReportSec100k: (await benchXlsxReport100k()).xlsxReportSec100k }),
  recipients: async () => ({ recipientsPageWorstMs1M: (await benchRecipientsPage()).recipientsPageWorstMs1M }),
  // GROWTH_SIZES=1000,10000 measures only some sizes; the others keep their last figures.
  growth: benchGrowth,
  mirror: () => benchMirrorOverhead(),
}

/** The previous run's figures with this run's over them; a series keeps the sizes not measured again. */
function merged(previous: Figures, figures: Figures): Figures {
  const result: Figures = { ...previous, ...figures }
  if (typeof figures.growth === 'object') {
    result.growth = { ...(typeof previous.growth === 'object' ? previous.growth : {}), ...figures.growth }
    Object.assign(result, growthRatios(result.growth))
  }
  return result
}

async function main(): Promise<void> {
  const wanted = process.argv.slice(2).filter((a) => a in GROUPS)
  const groups = wanted.length ? wanted : Object.keys(GROUPS)
  const figures: Figures = {}
  for (const group of groups) {
    const started = performance.now()
    process.stdout.write(`running ${group} … `)
    Object.assign(figures, await GROUPS[group]())
    console.log(`${((performance.now() - started) / 1000).toFixed(1)} s`)
  }
  const dir = path.join(__dirname, 'results')
  const file = path.join(dir, 'latest.json')
  // Running some groups keeps the other groups' last figures.
  const previous = wanted.length && existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Figures) : {}
  const all = merged(previous, figures)
  // The growth ratios may combine this run's sizes with earlier ones: shown whenever growth ran.
  if (typeof all.growth === 'object' && figures.growth) Object.assign(figures, growthRatios(all.growth))
  const result = {
    at: new Date().toISOString(),
    machine: { cpus: os.cpus().length, cpu: os.cpus()[0]?.model ?? '?', memGb: Math.round(os.totalmem() / 2 ** 30), node: process.version },
    ...all,
  }
  mkdirSync(dir, { recursive: true })
  writeFileSync(file, JSON.stringify(result, null, 2) + '\n')

  const rows = METRICS.filter((m) => typeof figures[m.key] === 'number').map((m) => {
    const value = figures[m.key] as number
    const verdict = m.ok(value)
    return [m.key, value.toLocaleString('en-US'), m.target, verdict === null ? '' : verdict ? 'ok' : 'MISSED']
  })
  const widths = [0, 1, 2, 3].map((i) => Math.max(...[['metric', 'value', 'target', ''], ...rows].map((r) => r[i].length)))
  const line = (r: string[]) => `| ${r.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`
  console.log(`\n${line(['metric', 'value', 'target', ''])}\n| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`)
  for (const r of rows) console.log(line(r))
  if (typeof all.growth === 'object') {
    console.log('\n| growth | msg/s | peak RSS MB | create s |\n| --- | --- | --- | --- |')
    for (const [size, p] of Object.entries(all.growth)) console.log(`| ${Number(size).toLocaleString('en-US')} | ${p.msgPerSec} | ${p.peakRssMb} | ${p.createSec} |`)
  }
  console.log(`\nwritten to bench/results/latest.json`)
}

main().catch((error: unknown) => {
  console.error(error)
  process.exit(1)
})
