// Growth series: campaigns of 1,000 to 1,000,000 recipients, each created from a CSV and sent (pacing
// off, simulator at 0 ms in its own process) by one `pregon send` process of its own, so its peak RSS is
// the whole process's: importing, creating and sending. A streamed campaign should cost about the same
// memory at any size, and send as fast at 1,000,000 as at 10,000.

import { mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { createApp } from '../src/main/app'
import { createLogger } from '../src/main/log/logger'
import { createSecretBox, loadHeadlessKey } from '../src/main/store/secrets'
import type { Campaign } from '../src/shared/types'
import { writeContactsCsv } from './import'
import { runPregon, startSimProcess } from './processes'

export const GROWTH_SIZES = [1_000, 10_000, 100_000, 1_000_000] as const

export interface GrowthPoint {
  /** Accepted sends per second, from the campaign's start to its completion. */
  msgPerSec: number
  /** The `pregon send` process's high-water RSS (VmHWM). */
  peakRssMb: number
  /** From starting `pregon send` to the campaign sealed: process start, import, normalise, store. */
  createSec: number
  recipients: number
  sent: number
}

const SIM = { phoneNumberId: '100000000000001', wabaId: '200000000000001', accessToken: 'sim-token' }

/** A data folder with the simulator's account, set up in this process and closed before the child opens it. */
async function prepareDataDir(simUrl: string): Promise<string> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'pregon-bench-growth-'))
  const app = await createApp({
    dataDir,
    secrets: createSecretBox(loadHeadlessKey(dataDir)),
    mode: 'headless',
    graphUrl: simUrl,
    logger: await createLogger({ silent: true }),
    startEngine: false,
  })
  try {
    const user = await app.store.users.ensureLocal()
    const added = await app.dispatch({ userId: user.id }, 'accounts.add', { ...SIM, defaultCountry: 'CO', maxMessagesPerSecond: 1_000 })
    if (!added.ok) throw new Error(added.error.message)
  } finally {
    await app.close()
  }
  return dataDir
}

async function readCampaign(dataDir: string): Promise<Campaign> {
  const app = await createApp({
    dataDir,
    secrets: createSecretBox(loadHeadlessKey(dataDir)),
    mode: 'headless',
    logger: await createLogger({ silent: true }),
    startEngine: false,
  })
  try {
    const user = await app.store.users.ensureLocal()
    const [campaign] = await app.store.campaigns.list(user.id, { limit: 1 })
    if (!campaign) throw new Error('pregon send made no campaign')
    return campaign
  } finally {
    await app.close()
  }
}

export async function growthPoint(rows: number): Promise<GrowthPoint> {
  const sim = await startSimProcess(['--latency', '0', '--no-throughput', '--no-pair-limit'])
  let dataDir: string | null = null
  try {
    dataDir = await prepareDataDir(sim.url)
    const csv = path.join(dataDir, 'contacts.csv')
    await writeContactsCsv(csv, rows)
    const startedAt = Date.now()
    const args = ['send', '--contacts', csv, '--template', 'hello_world', '--lang', 'en_US', '--pacing', 'off', '--data-dir', dataDir, '--graph-url', sim.url]
    const { exitCode, peakRssBytes } = await runPregon(args)
    if (exitCode !== 0) throw new Error(`pregon send of ${rows} rows exited with ${exitCode}`)
    const campaign = await readCampaign(dataDir)
    if (campaign.status !== 'completed') throw new Error(`campaign of ${rows} rows ended ${campaign.status}`)
    const sendingMs = Date.parse(campaign.completedAt as string) - Date.parse(campaign.startedAt as string)
    return {
      msgPerSec: Math.round((campaign.successCount / Math.max(1, sendingMs)) * 1_000),
      peakRssMb: Math.round(peakRssBytes / 2 ** 20),
      createSec: Number(((Date.parse(campaign.createdAt) - startedAt) / 1_000).toFixed(2)),
      recipients: campaign.contactsCount,
      sent: campaign.successCount,
    }
  } finally {
    if (dataDir) rmSync(dataDir, { recursive: true, force: true })
    await sim.stop()
  }
}

/** `GROWTH_SIZES=1000,10000` measures only those sizes (the others keep their last figures). */
export function growthSizes(env = process.env.GROWTH_SIZES): number[] {
  if (!env) return [...GROWTH_SIZES]
  return env.split(',').map((size) => {
    const n = Number(size)
    if (!Number.isInteger(n) || n < 1) throw new Error(`GROWTH_SIZES: "${size}" is not a number of rows`)
    return n
  })
}

export async function benchGrowth(sizes = growthSizes()): Promise<{ growth: Record<string, GrowthPoint> }> {
  const growth: Record<string, GrowthPoint> = {}
  for (const size of sizes) {
    growth[String(size)] = await growthPoint(size)
    console.log(`\n  growth ${size.toLocaleString('en-US')}: ${JSON.stringify(growth[String(size)])}`)
  }
  return { growth }
}

/** The targets: peak RSS at 1M ≤ 1.3 × at 100k, and msg/s at 1M ≥ 0.8 × at 10k. */
export function growthRatios(growth: Record<string, GrowthPoint>): Record<string, number> {
  const ratios: Record<string, number> = {}
  const [g10k, g100k, g1m] = [growth['10000'], growth['100000'], growth['1000000']]
  if (g100k && g1m) ratios.growthRssRatio1MTo100k = Number((g1m.peakRssMb / g100k.peakRssMb).toFixed(2))
  if (g10k && g1m) ratios.growthMsgRatio1MTo10k = Number((g1m.msgPerSec / g10k.msgPerSec).toFixed(2))
  return ratios
}
