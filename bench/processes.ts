// Child processes for benchmarks: the simulator on its own core, and `pregon` commands whose whole-
// process peak RSS is read from /proc (VmHWM) while they run.

import { spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import net from 'node:net'
import path from 'node:path'

const PREGON = path.join(__dirname, '..', 'bin', 'pregon.js')

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo
      server.close(() => resolve(port))
    })
  })
}

export interface SimProcess {
  url: string
  stop(): Promise<void>
}

/** `pregon sim` in its own process, so the engine and the simulator do not share a thread. */
export async function startSimProcess(args: string[]): Promise<SimProcess> {
  const port = await freePort()
  const child = spawn(process.execPath, [PREGON, 'sim', '--port', String(port), ...args], { stdio: ['ignore', 'pipe', 'inherit'] })
  const url = `http://127.0.0.1:${port}`
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('simulator did not start in 20 s')), 20_000)
    child.once('exit', (code) => reject(new Error(`simulator exited with ${code}`)))
    child.stdout.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes(String(port))) {
        clearTimeout(timer)
        resolve()
      }
    })
  })
  return {
    url,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve()
        child.once('exit', () => resolve())
        child.kill('SIGTERM')
      }),
  }
}

function peakRss(pid: number): number {
  try {
    const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
    return match ? Number(match[1]) * 1024 : 0
  } catch {
    return 0
  }
}

/** Runs `pregon ARGS` to the end; returns its exit code and the peak RSS seen. */
export async function runPregon(args: string[]): Promise<{ exitCode: number; peakRssBytes: number }> {
  const child = spawn(process.execPath, [PREGON, ...args], { stdio: ['ignore', 'ignore', 'inherit'] })
  let peak = 0
  const timer = setInterval(() => {
    peak = Math.max(peak, peakRss(child.pid as number))
  }, 100)
  const exitCode = await new Promise<number>((resolve) => child.once('exit', (code) => resolve(code ?? 1)))
  clearInterval(timer)
  return { exitCode, peakRssBytes: peak }
}
