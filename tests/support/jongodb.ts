// jongodb, a MongoDB wire-compatible server in one native binary (no real mongod can be installed on
// these machines: see /work/shared/reference/mongodb-testing.md). Memory only; a database name per test.
import { spawn, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { createServer } from 'node:net'
import { join } from 'node:path'

const BINARY = join(__dirname, '../../node_modules/@jongodb/memory-server-bin-linux-x64-gnu/bin/jongodb')

export interface TestMongo {
  /** The server's URI, with no database in its path. */
  uri: string
  /** The URI of a database nobody else uses (jongodb cannot drop one: each test takes a fresh name). */
  freshDatabase(prefix?: string): string
  stop(): Promise<void>
}

async function freePort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  await new Promise((resolve) => server.close(resolve))
  return port
}

/** A URI naming database `name` on the server of `uri`, keeping its options (replicaSet …). */
export function withDatabase(uri: string, name: string): string {
  const url = new URL(uri)
  url.pathname = `/${name}`
  return url.toString()
}

/** Starts jongodb as a single-node replica set (transactions available) on a free loopback port. */
export async function startJongodb(): Promise<TestMongo> {
  const port = await freePort()
  const child: ChildProcess = spawn(BINARY, [`--port=${port}`, '--topology-profile=single_node_replicaset', '--replica-set-name=rs0'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  const uri = await new Promise<string>((resolve, reject) => {
    let out = ''
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString()
      const found = /JONGODB_URI=(\S+)/.exec(out)
      if (found) resolve(found[1])
    })
    child.on('error', reject)
    child.on('exit', (code) => reject(new Error(`jongodb exited (${code}) before printing its URI: ${out}`)))
  })
  let databases = 0
  return {
    uri: withDatabase(uri, ''),
    freshDatabase: (prefix = 'pregon') => withDatabase(uri, `${prefix}_${process.pid}_${++databases}_${randomBytes(3).toString('hex')}`),
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve()
        child.on('exit', () => resolve())
        child.kill('SIGTERM')
      }),
  }
}
