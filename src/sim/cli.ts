// `pregon sim`: starts the simulator from command-line options, prints how to use it, stops on SIGINT/SIGTERM.

import { startSimulator } from './server'
import type { FailureDelivery, Latency, SimulatorOptions } from './types'

/** Options as commander hands them over: numbers may still be strings. */
export interface SimulatorCliArgs {
  port?: number | string
  host?: string
  /** Milliseconds, or a range such as `20-80`. */
  latency?: number | string
  webhookUrl?: string
  appSecret?: string
  /** 0..1: share of sends that fail with `failCode`. */
  failRate?: number | string
  failCode?: number | string
  /** `sync` (an error answer) or `webhook` (200, then a failed status webhook, as Meta does for 131026). */
  failDelivery?: string
  /** With `--fail-delivery webhook`: ms until the failed status, or a range such as `2000-30000`. */
  failDelay?: number | string
  /** The demo number's messages per second. */
  mps?: number | string
  token?: string
  seed?: number | string
  readRate?: number | string
  /** Statuses per webhook POST: 1 is Meta's usual one status per POST. */
  webhookBatch?: number | string
  /** 0..1: share of statuses posted without pricing, conversation and callback data. */
  sparseStatuses?: number | string
  /** Error envelopes with only message, type and code. */
  sparseErrors?: boolean
  /** Seconds of `Retry-After` on throttled answers (default: until the number has capacity again). */
  retryAfter?: number | string
  /** Minutes of `estimated_time_to_regain_access` on throttled answers (default 0). */
  regainMinutes?: number | string
  /** `--no-throughput` / `--no-pair-limit` turn the limits off. */
  throughput?: boolean
  pairLimit?: boolean
}

export interface SimulatorCliIo {
  print?: (line: string) => void
  /** Stops the simulator like SIGINT does (for tests and embedding). */
  signal?: AbortSignal
}

function toNumber(value: number | string | undefined, name: string, check: (n: number) => boolean, hint: string): number | undefined {
  if (value === undefined || value === '') return undefined
  const n = Number(value)
  if (!Number.isFinite(n) || !check(n)) throw new Error(`--${name} ${String(value)} is not valid: ${hint}`)
  return n
}

function parseLatency(value: number | string | undefined, name = 'latency'): Latency | undefined {
  const hint = 'write milliseconds (50) or a range (20-80)'
  if (typeof value === 'string' && value.includes('-')) {
    const [min, max] = value.split('-').map(Number)
    if (!(min >= 0 && max >= min)) throw new Error(`--${name} ${value} is not valid: ${hint}`)
    return { min, max }
  }
  return toNumber(value, name, (n) => n >= 0, hint)
}

function parseDelivery(value: string | undefined): FailureDelivery {
  if (value === undefined || value === 'sync' || value === 'webhook') return value ?? 'sync'
  throw new Error(`--fail-delivery ${value} is not valid: use sync (an error answer) or webhook (a failed status webhook later)`)
}

export function simulatorOptionsFromArgs(argv: SimulatorCliArgs): SimulatorOptions {
  const options: SimulatorOptions = {
    port: toNumber(argv.port, 'port', (n) => Number.isInteger(n) && n >= 0 && n < 65536, 'use 0..65535 (0 picks a free port)') ?? 0,
    host: argv.host ?? '127.0.0.1',
    latencyMs: parseLatency(argv.latency) ?? 0,
    enforceThroughput: argv.throughput ?? true,
    pairLimit: argv.pairLimit ?? true,
    seed: toNumber(argv.seed, 'seed', Number.isInteger, 'use an integer'),
    sparseErrors: argv.sparseErrors ?? false,
    throttle: {
      retryAfterSeconds: toNumber(argv.retryAfter, 'retry-after', (n) => Number.isInteger(n) && n >= 1, 'use whole seconds, at least 1'),
      regainAccessMinutes: toNumber(argv.regainMinutes, 'regain-minutes', (n) => Number.isInteger(n) && n >= 0, 'use whole minutes, 0 or more'),
    },
  }
  if (argv.token) options.accessTokens = [argv.token]
  const mps = toNumber(argv.mps, 'mps', (n) => n > 0, 'use a positive number of messages per second')
  if (mps !== undefined) {
    options.phoneNumbers = [
      { id: '100000000000001', displayPhoneNumber: '+1 555-010-0001', verifiedName: 'Pregón Demo', wabaId: '200000000000001', mps },
    ]
  }
  const failRate = toNumber(argv.failRate, 'fail-rate', (n) => n >= 0 && n <= 1, 'use a share between 0 and 1, e.g. 0.05')
  if (failRate !== undefined && failRate > 0) {
    const code = toNumber(argv.failCode, 'fail-code', Number.isInteger, 'use a Cloud API error code, e.g. 131026') ?? 131000
    const delivery = parseDelivery(argv.failDelivery)
    if (delivery === 'webhook' && !argv.webhookUrl) throw new Error('--fail-delivery webhook needs --webhook-url: the failures arrive there')
    options.failures = [{ code, rate: failRate, delivery, delayMs: parseLatency(argv.failDelay, 'fail-delay') }]
  }
  if (argv.webhookUrl) {
    if (!argv.appSecret) throw new Error('--webhook-url needs --app-secret: the simulator signs every webhook with it')
    options.webhook = {
      url: argv.webhookUrl,
      appSecret: argv.appSecret,
      statuses: true,
      readRate: toNumber(argv.readRate, 'read-rate', (n) => n >= 0 && n <= 1, 'use a share between 0 and 1'),
      batchSize: toNumber(argv.webhookBatch, 'webhook-batch', (n) => Number.isInteger(n) && n >= 1, 'use a whole number of statuses per POST, at least 1'),
      sparseStatusRate: toNumber(argv.sparseStatuses, 'sparse-statuses', (n) => n >= 0 && n <= 1, 'use a share between 0 and 1'),
      // Slow enough to watch ticks change in the demo.
      deliverDelayMs: 1500,
    }
  }
  return options
}

export async function runSimulatorCli(argv: SimulatorCliArgs, io: SimulatorCliIo = {}): Promise<void> {
  const print = io.print ?? ((line: string) => process.stdout.write(`${line}\n`))
  const options = simulatorOptionsFromArgs(argv)
  const simulator = await startSimulator(options)
  print(`Pregón Cloud API simulator listening on ${simulator.url}`)
  print(`  Graph base URL: ${simulator.url}/v25.0`)
  print(`  Access token:   ${simulator.accessTokens.join(', ')}`)
  for (const phone of simulator.phoneNumbers) {
    print(`  Number:         ${phone.displayPhoneNumber} (${phone.verifiedName}) phone_number_id=${phone.id} waba_id=${phone.wabaId}`)
  }
  if (argv.webhookUrl) print(`  Webhooks:       ${argv.webhookUrl} (signed with the app secret)`)
  for (const failure of options.failures ?? []) {
    const how = failure.delivery === 'webhook' ? 'answered 200, then a failed status webhook' : 'answered with the error'
    print(`  Failures:       ${failure.rate * 100}% of sends fail with ${failure.code}, ${how}`)
  }
  print('Press Ctrl+C to stop.')

  await new Promise<void>((resolve) => {
    const stop = (): void => {
      process.off('SIGINT', stop)
      process.off('SIGTERM', stop)
      io.signal?.removeEventListener('abort', stop)
      resolve()
    }
    process.on('SIGINT', stop)
    process.on('SIGTERM', stop)
    if (io.signal?.aborted) stop()
    else io.signal?.addEventListener('abort', stop)
  })
  await simulator.stop()
  print('Simulator stopped.')
}
