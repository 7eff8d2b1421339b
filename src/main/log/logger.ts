// Structured logs (pino) to stdout and to a rotating file in the data directory; secrets redacted.

import path from 'node:path'
import pino, { type Logger } from 'pino'

export type { Logger }

/** Paths pino blanks out wherever they appear: tokens and keys never reach a log line. */
export const REDACT_PATHS = [
  'accessToken',
  '*.accessToken',
  '*.*.accessToken',
  'token',
  '*.token',
  'apiKey',
  '*.apiKey',
  'appSecret',
  '*.appSecret',
  'authorization',
  '*.authorization',
  'headers.authorization',
  '*.headers.authorization',
]

export interface LoggerOptions {
  dataDir?: string
  level?: string
  /** Also print to stdout (headless, CLI). The desktop app logs to the file only. */
  stdout?: boolean
  /** Tests: no output at all. */
  silent?: boolean
}

export function createLogger(opts: LoggerOptions = {}): Logger {
  const level = opts.level ?? process.env.PREGON_LOG_LEVEL ?? 'info'
  if (opts.silent) return pino({ level: 'silent' })
  const targets: pino.TransportTargetOptions[] = []
  if (opts.stdout !== false) targets.push({ target: 'pino/file', options: { destination: 1 }, level })
  if (opts.dataDir) {
    targets.push({
      target: 'pino-roll',
      level,
      options: { file: path.join(opts.dataDir, 'logs', 'pregon'), frequency: 'daily', size: '10m', limit: { count: 7 }, mkdir: true, extension: '.log' },
    })
  }
  if (targets.length === 0) return pino({ level: 'silent' })
  return pino({ level, redact: { paths: REDACT_PATHS, censor: '[redacted]' } }, pino.transport({ targets }))
}
