import { mkdtempSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { spawnSync } from 'node:child_process'
import { describe, expect, it } from 'vitest'
import { acquireEngineLock } from '../../../src/main/app/engineLock'

const tempDir = () => mkdtempSync(path.join(os.tmpdir(), 'pregon-lock-'))

describe('the engine lock of a data folder', () => {
  it('refuses a second engine while the first holds it, and frees on release', () => {
    const dir = tempDir()
    const release = acquireEngineLock(dir)
    // Same process: simulate another live process by writing our parent's pid.
    writeFileSync(path.join(dir, 'engine.lock'), String(process.ppid))
    expect(() => acquireEngineLock(dir)).toThrow(/already sending from this data folder/)
    writeFileSync(path.join(dir, 'engine.lock'), String(process.pid))
    release()
    const again = acquireEngineLock(dir)
    again()
  })

  it('takes over a lock left by a process that died', () => {
    const dir = tempDir()
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).stdout.toString()
    writeFileSync(path.join(dir, 'engine.lock'), dead)
    const release = acquireEngineLock(dir)
    release()
  })
})
