// One engine per data folder: a second process (the desktop app and a CLI `send`, or two CLIs) must
// never send from the same database, or recipients could be claimed twice. A lock file holds the pid;
// a lock left by a dead process (a crash, SIGKILL) is taken over.

import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs'
import path from 'node:path'
import { AppError } from '../../shared/errors'
import { PRIVATE_FILE_MODE } from '../fs/privateFiles'

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

export function acquireEngineLock(dataDir: string): () => void {
  const file = path.join(dataDir, 'engine.lock')
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(file, 'wx', PRIVATE_FILE_MODE)
      writeSync(fd, String(process.pid))
      closeSync(fd)
      return () => {
        try {
          if (readFileSync(file, 'utf8') === String(process.pid)) rmSync(file, { force: true })
        } catch {
          // already gone
        }
      }
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
      const pid = Number(readFileSync(file, 'utf8'))
      if (pid && pid !== process.pid && alive(pid)) {
        throw new AppError('conflict', `Pregón is already sending from this data folder (process ${pid}). Close it first, or use another --data-dir.`)
      }
      rmSync(file, { force: true })
    }
  }
  throw new AppError('conflict', `Could not lock ${file}`)
}
