// API latency under load: p99 of `GET /api/campaigns/:id/status` against a real `pregon serve` process
// while it sends a 20,000-recipient campaign at full speed to the simulator (webhooks included).

import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { freePort, startSimProcess } from './processes'

const PREGON = path.join(__dirname, '..', 'bin', 'pregon.js')
const KEY = 'bench-api-key-0123456789'
const TOKEN = 'sim-token-api-bench'
const SECRET = 'bench-api-secret'

export interface ApiLoadResults {
  apiP99MsUnderLoad: number
}

export async function benchApiUnderLoad(recipients = 20_000, pollers = 4): Promise<ApiLoadResults> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'pregon-bench-api-'))
  const port = await freePort()
  const url = `http://127.0.0.1:${port}`
  const sim = await startSimProcess(['--mps', '1000', '--no-throughput', '--no-pair-limit', '--token', TOKEN, '--webhook-url', `${url}/webhook`, '--app-secret', SECRET])
  const server = spawn(process.execPath, [PREGON, 'serve', '--port', String(port), '--data-dir', dataDir, '--graph-url', sim.url], {
    env: { ...process.env, PREGON_API_KEYS: `${KEY}:bench`, PREGON_APP_SECRET: SECRET, PREGON_LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('pregon serve did not start in 30 s')), 30_000)
      server.once('exit', (code) => reject(new Error(`pregon serve exited with ${code}`)))
      server.stdout.on('data', (chunk: Buffer) => {
        if (chunk.toString().includes('serving on')) {
          clearTimeout(timer)
          resolve()
        }
      })
    })
    const call = async (route: string, init: { method?: string; body?: unknown } = {}) => {
      const response = await fetch(`${url}${route}`, {
        method: init.method ?? (init.body ? 'POST' : 'GET'),
        headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
        body: init.body ? JSON.stringify(init.body) : undefined,
      })
      const body = (await response.json()) as Record<string, unknown>
      if (!response.ok) throw new Error(`${route} answered ${response.status}: ${JSON.stringify(body)}`)
      return body
    }
    await call('/api/user/meta-credentials', {
      method: 'PUT',
      body: { phoneNumberId: '100000000000001', wabaId: '200000000000001', accessToken: TOKEN, maxMessagesPerSecond: 1000 },
    })
    const contacts = Array.from({ length: recipients }, (_, i) => ({ numero: `+57300${String(i).padStart(7, '0')}` }))
    const created = await call('/api/campaigns/create', {
      body: { contacts, template: { name: 'hello_world', language: { code: 'en_US' } }, campaignName: 'api load', pacing: { kind: 'off' } },
    })
    const id = String(created.campaignId)

    const latencies: number[] = []
    let done = false
    await Promise.all(
      Array.from({ length: pollers }, async () => {
        while (!done) {
          const started = performance.now()
          const status = await call(`/api/campaigns/${id}/status`)
          latencies.push(performance.now() - started)
          if (status.status !== 'processing' && status.status !== 'pending') done = true
        }
      }),
    )
    const final = await call(`/api/campaigns/${id}/status`)
    if (final.status !== 'completed' || final.successCount !== recipients) {
      throw new Error(`the load campaign ended ${String(final.status)} with ${String(final.successCount)} of ${recipients} sent`)
    }
    latencies.sort((a, b) => a - b)
    const p99 = latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * 0.99))]
    return { apiP99MsUnderLoad: Math.round(p99 * 10) / 10 }
  } finally {
    await new Promise<void>((resolve) => {
      if (server.exitCode !== null) return resolve()
      server.once('exit', () => resolve())
      server.kill('SIGTERM')
    })
    await sim.stop()
    rmSync(dataDir, { recursive: true, force: true })
  }
}
