// Shared by the HTTP, webhook and relay suites: real `pregon serve` processes, signed webhooks, small fetch helpers.

import { spawn, type ChildProcess } from 'node:child_process'
import { createHmac } from 'node:crypto'
import { existsSync, mkdtempSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { createSecretBox } from '../../src/main/store/secrets'
import { openSqliteStore } from '../../src/main/store/sqlite'
import type { Store } from '../../src/main/store/ports'

const ROOT = path.resolve(__dirname, '../..')
const PREGON = path.join(ROOT, 'bin', 'pregon.js')
const BUILT_CLI = path.join(ROOT, 'out', 'cli', 'index.js')

export interface ServeProcess {
  url: string
  dataDir: string
  proc: ChildProcess
  output(): string
  /** SIGTERM (a clean stop) by default; resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>
}

export function tempDir(prefix: string): string {
  return mkdtempSync(path.join(os.tmpdir(), `pregon-${prefix}-`))
}

export interface ServeArgs {
  dataDir: string
  port?: number
  relay?: boolean
  relayUrl?: string
  demo?: boolean
  /** The installation's Graph API base (`--graph-url`), e.g. a simulator's URL. */
  graphUrl?: string
  /** Keep the data in this MongoDB (`--mongodb`). */
  mongodb?: string
}

/** `pregon serve` as built by `npm run build:cli` (`npm test` builds first), on a free loopback port by default. */
export async function startServe(options: ServeArgs, env: Record<string, string> = {}): Promise<ServeProcess> {
  if (!existsSync(BUILT_CLI)) throw new Error('The CLI is not built: run `npm run build:cli` (or `npx vite build --config vite.cli.config.mts`) first.')
  const args = ['serve', '--host', '127.0.0.1', '--port', String(options.port ?? 0), '--data-dir', options.dataDir]
  if (options.relay) args.push('--relay')
  if (options.relayUrl) args.push('--relay-url', options.relayUrl)
  if (options.demo) args.push('--demo')
  if (options.graphUrl) args.push('--graph-url', options.graphUrl)
  if (options.mongodb) args.push('--mongodb', options.mongodb)
  const proc = spawn(process.execPath, [PREGON, ...args], {
    cwd: ROOT,
    env: { ...process.env, PREGON_LOG_LEVEL: 'warn', ENABLE_RATE_LIMIT: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  proc.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()))
  proc.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()))
  const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)))
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`pregon serve did not start in 30 s:\n${output}`)), 30_000)
    const check = (): void => {
      const match = /serving on (http:\/\/\S+)/.exec(output)
      if (match) {
        clearTimeout(timer)
        resolve(match[1])
      }
    }
    proc.stdout?.on('data', check)
    void exited.then((code) => {
      clearTimeout(timer)
      reject(new Error(`pregon serve exited with ${code}:\n${output}`))
    })
  })
  return {
    url,
    dataDir: options.dataDir,
    proc,
    output: () => output,
    async stop(signal = 'SIGTERM') {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill(signal)
      return exited
    },
  }
}

export interface Reply<T = Record<string, unknown>> {
  status: number
  body: T
  headers: Headers
}

/** JSON in, JSON (or text) out; never throws on an HTTP error status. */
export async function request<T = Record<string, unknown>>(
  url: string,
  init: { method?: string; key?: string; body?: unknown; raw?: string; headers?: Record<string, string> } = {},
): Promise<Reply<T>> {
  const headers: Record<string, string> = { ...init.headers }
  if (init.key) headers.authorization = `Bearer ${init.key}`
  let body: string | undefined
  if (init.raw !== undefined) body = init.raw
  else if (init.body !== undefined) body = JSON.stringify(init.body)
  if (body !== undefined) headers['content-type'] ??= 'application/json'
  const response = await fetch(url, { method: init.method ?? (body === undefined ? 'GET' : 'POST'), headers, body })
  const text = await response.text()
  let parsed: unknown = text
  try {
    parsed = JSON.parse(text)
  } catch {
    // Plain text answers (the webhook handshake) stay text.
  }
  return { status: response.status, body: parsed as T, headers: response.headers }
}

export function sign(bytes: string | Buffer, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(bytes).digest('hex')}`
}

export function postWebhook(url: string, payload: unknown, secret: string): Promise<Reply> {
  const raw = JSON.stringify(payload)
  return request(`${url}/webhook`, { raw, headers: { 'x-hub-signature-256': sign(raw, secret) } })
}

/** A look into a running server's database through the store ports, for "nothing was stored" and exactly-once checks. */
export async function readStore<T>(dataDir: string, query: (store: Store) => Promise<T>): Promise<T> {
  // Only tokens are sealed; these checks never open one, so any key will do.
  const store = openSqliteStore({ dataDir, secrets: createSecretBox(Buffer.alloc(32)) })
  try {
    return await query(store)
  } finally {
    await store.close()
  }
}

export async function waitFor<T>(what: string, probe: () => Promise<T | null | undefined | false>, timeoutMs = 20_000): Promise<T> {
  const until = Date.now() + timeoutMs
  let last: unknown
  for (;;) {
    try {
      const value = await probe()
      if (value) return value
    } catch (error) {
      last = error
    }
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`)
    await new Promise((r) => setTimeout(r, 50))
  }
}

/** Meta's `messages` webhook envelope with the given statuses / messages for one business number. */
export function messagesWebhook(phoneNumberId: string, value: { statuses?: object[]; messages?: object[] }): object {
  return {
    object: 'whatsapp_business_account',
    entry: [
      {
        id: '200000000000001',
        changes: [
          {
            field: 'messages',
            value: {
              messaging_product: 'whatsapp',
              metadata: { display_phone_number: '15550100001', phone_number_id: phoneNumberId },
              ...value,
            },
          },
        ],
      },
    ],
  }
}

export function statusOf(wamid: string, status: string, opts: { at?: number; callback?: string; recipient?: string; errorCode?: number } = {}): object {
  return {
    id: wamid,
    status,
    timestamp: String(Math.floor((opts.at ?? Date.now()) / 1000)),
    recipient_id: opts.recipient ?? '573000000000',
    ...(opts.callback ? { biz_opaque_callback_data: opts.callback } : {}),
    ...(opts.errorCode ? { errors: [{ code: opts.errorCode, title: `error ${opts.errorCode}` }] } : {}),
  }
}
