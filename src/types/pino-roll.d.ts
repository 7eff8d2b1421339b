// pino-roll ships no types: the one function Pregón calls (an in-process rotating file stream).
declare module 'pino-roll' {
  import type { DestinationStream } from 'pino'
  interface PinoRollOptions {
    file: string
    size?: string | number
    frequency?: 'daily' | 'hourly' | number
    extension?: string
    limit?: { count: number }
    mkdir?: boolean
    /** Passed on to sonic-boom: the mode new log files are created with. */
    mode?: number
  }
  export default function pinoRoll(options: PinoRollOptions): Promise<DestinationStream>
}
