// The local SQLite mirror must never slow the engine: the same campaign (pacing off, the simulator answering at
// once) with and without "Mirror to MongoDB" on, alternately, best of each. The MongoDB is jongodb (memory only,
// slow with volume: see shared/reference/mongodb-testing.md), so the mirror's own catching up is not measured.

import { spawn } from 'node:child_process'
import path from 'node:path'
import { openBenchApp, runCampaign } from './engine'
import { freePort, startSimProcess } from './processes'

const JONGODB = path.resolve(__dirname, '../node_modules/@jongodb/memory-server-bin-linux-x64-gnu/bin/jongodb')

async function startJongodb(): Promise<{ uri: string; stop(): void }> {
  const port = await freePort()
  const child = spawn(JONGODB, [`--port=${port}`], { stdio: ['ignore', 'pipe', 'inherit'] })
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => chunk.toString().includes('JONGODB_URI=') && resolve())
    child.once('exit', (code) => reject(new Error(`jongodb exited (${code})`)))
  })
  return { uri: `mongodb://127.0.0.1:${port}/bench`, stop: () => child.kill('SIGKILL') }
}

async function engineRate(simUrl: string, count: number, mirrorUri: string | null): Promise<number> {
  const saved = { ...process.env }
  if (mirrorUri) Object.assign(process.env, { PREGON_MIRROR_URI: mirrorUri, PREGON_MIRROR_INTERVAL_MS: '200' })
  try {
    const b = await openBenchApp(simUrl, { maxInFlight: 32, mps: 1_000 })
    try {
      const { ms, successCount } = await runCampaign(b, count, { kind: 'off' })
      if (successCount !== count) throw new Error(`mirror bench: ${successCount}/${count} sent`)
      return (count / ms) * 1000
    } finally {
      await b.close()
    }
  } finally {
    process.env = saved
  }
}

export async function benchMirrorOverhead(count = 4_000, rounds = 3): Promise<Record<string, number>> {
  const sim = await startSimProcess(['--latency', '0', '--no-throughput', '--no-pair-limit'])
  const mongo = await startJongodb()
  try {
    let off = 0
    let on = 0
    for (let round = 0; round < rounds; round++) {
      off = Math.max(off, await engineRate(sim.url, count, null))
      on = Math.max(on, await engineRate(sim.url, count, mongo.uri))
    }
    return {
      engineMsgPerSecMirrorOff: Math.round(off),
      engineMsgPerSecMirrorOn: Math.round(on),
      mirrorOverheadPct: Number((((off - on) / off) * 100).toFixed(1)),
    }
  } finally {
    mongo.stop()
    await sim.stop()
  }
}
