// A MongoDB wire-compatible test server (jongodb: memory only, see shared/reference/mongodb-testing.md) on a
// loopback port, restartable on the same port; and a TCP proxy in front of it that a test cuts and restores.

import { spawn, type ChildProcess } from 'node:child_process'
import net from 'node:net'
import path from 'node:path'

const BIN = path.resolve(__dirname, '../../../node_modules/@jongodb/memory-server-bin-linux-x64-gnu/bin/jongodb')

export interface Jongodb {
  port: number
  uri: (database: string) => string
  /** Kills the process (SIGKILL): everything it held is gone. */
  stop(): Promise<void>
}

export async function startJongodb(port: number): Promise<Jongodb> {
  // Standalone, not the single-node replica set: the mirror needs no transactions, and a test reaching the server
  // through a TCP proxy needs a direct connection, which the replica-set profile refuses (it serves reads with
  // readPreference 'primary' only, and a direct connection asks for primaryPreferred).
  const child = spawn(BIN, [`--port=${port}`], { stdio: ['ignore', 'pipe', 'pipe'] })
  await new Promise<void>((resolve, reject) => {
    let out = ''
    const timer = setTimeout(() => reject(new Error(`jongodb did not start on ${port}: ${out}`)), 15_000)
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString()
      if (out.includes('JONGODB_URI=')) {
        clearTimeout(timer)
        resolve()
      }
    })
    child.once('exit', (code) => reject(new Error(`jongodb exited (${code}): ${out}`)))
  })
  return {
    port,
    uri: (database) => `mongodb://127.0.0.1:${port}/${database}`,
    stop: () => kill(child),
  }
}

function kill(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve()
  return new Promise((resolve) => {
    child.once('exit', () => resolve())
    child.kill('SIGKILL')
  })
}

export interface TcpProxy {
  port: number
  /** Refuses new connections and resets every open one: the server is unreachable. */
  cut(): Promise<void>
  restore(): Promise<void>
  close(): Promise<void>
}

export async function startTcpProxy(port: number, targetPort: number): Promise<TcpProxy> {
  const sockets = new Set<net.Socket>()
  let server: net.Server | null = null
  const listen = () =>
    new Promise<void>((resolve, reject) => {
      server = net.createServer((client) => {
        const upstream = net.connect(targetPort, '127.0.0.1')
        for (const s of [client, upstream]) {
          sockets.add(s)
          s.on('close', () => sockets.delete(s))
          s.on('error', () => undefined)
        }
        client.pipe(upstream).pipe(client)
      })
      server.once('error', reject)
      server.listen(port, '127.0.0.1', () => resolve())
    })
  const cut = async () => {
    const closing = server ? new Promise<void>((resolve) => server!.close(() => resolve())) : Promise.resolve()
    server = null
    for (const s of sockets) s.resetAndDestroy()
    await closing
  }
  await listen()
  return { port, cut, restore: listen, close: cut }
}
