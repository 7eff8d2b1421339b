// Structured logs (pino) to stdout and to a rotating file in the data directory; secrets redacted.
// Streams stay in-process (no transport worker thread): a worker costs ~15 MB of RSS per process,
// and the CLI's `pregon send` has a memory budget.

import path from 'node:path'
import pino, { type Logger } from 'pino'
import pinoRoll from 'pino-roll'
import { maskSecrets } from './maskSecrets'
import { makePrivateDir, PRIVATE_FILE_MODE } from '../fs/privateFiles'

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

/** The rotating file of each logger: its roll timer keeps the process alive until it is closed. */
const fileStreams = new WeakMap<Logger, pino.DestinationStream & { end?: () => void }>()

export async function createLogger(opts: LoggerOptions = {}): Promise<Logger> {
  const level = opts.level ?? process.env.PREGON_LOG_LEVEL ?? 'info'
  if (opts.silent) return pino({ level: 'silent' })
  const streams: pino.StreamEntry[] = []
  if (opts.stdout !== false) streams.push({ level: level as pino.Level, stream: masked(pino.destination({ dest: 1, sync: false })) })
  let file: (pino.DestinationStream & { end?: () => void }) | null = null
  if (opts.dataDir) {
    const dir = path.join(opts.dataDir, 'logs')
    makePrivateDir(dir)
    file = await pinoRoll({
      file: path.join(dir, 'pregon'),
      extension: '.log',
      frequency: 'daily',
      size: '10m',
      limit: { count: 7 },
      mode: PRIVATE_FILE_MODE,
    })
    streams.push({ level: level as pino.Level, stream: masked(file) })
  }
  if (streams.length === 0) return pino({ level: 'silent' })
  const logger = pino({ level, redact: { paths: REDACT_PATHS, censor: '[redacted]' } }, pino.multistream(streams))
  if (file) fileStreams.set(logger, file)
  return logger
}

type LineStream = pino.DestinationStream & { flushSync?: () => void; end?: () => void }

/**
 * Redaction by path cannot see inside free text (an error's message, a proxy page kept as details):
 * every line is masked as a whole just before it is written.
 */
function masked(stream: LineStream): LineStream {
  return {
    write: (line: string) => stream.write(maskSecrets(line)),
    flushSync: () => stream.flushSync?.(),
    end: () => stream.end?.(),
  }
}

/** Flushes and closes the logger's file (a no-op for loggers without one). */
export function closeLogger(logger: Logger): void {
  logger.flush?.()
  fileStreams.get(logger)?.end?.()
  fileStreams.delete(logger)
}
