// Settings → Storage's "Keep this installation's data in MongoDB" over real HTTP: a `pregon serve` on a data folder,
// its operator saving the choice through the API, restarts taking it up (the data then lives in MongoDB, read here
// with the plain driver), a MongoDB that is gone holding the start (no engine, the status says so), and the way
// back to SQLite. What identifies the address beyond its host never appears in an answer, the output or the logs.

import { execFile } from 'node:child_process'
import { readdirSync, readFileSync, existsSync } from 'node:fs'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
// eslint-disable-next-line no-restricted-imports -- the test reads MongoDB as the seed's dashboards would
import { MongoClient } from 'mongodb'
import type { StorageSettings } from '../../src/shared/contract'
import { STORE_CHOICE_FILE } from '../../src/main/app/storeChoice'
import { request, startServe, tempDir, type ServeProcess } from './httpHarness'
import { startJongodb, type TestMongo } from '../support/jongodb'

const KEY = 'key-store-choice-0123456789'
const ADMIN = 'admin-key-store-choice-0123456789'
// jongodb has no users, so the part of the address that must never come back is an option only the driver reads.
const SECRET = 'Sec4et-app-name'
const ENV = { PREGON_API_KEYS: `${KEY}:tienda`, PREGON_ADMIN_KEY: ADMIN }

let serve: ServeProcess | null = null
let mongo: TestMongo | null = null
const outputs: string[] = []
const answers: string[] = []

afterAll(async () => {
  await serve?.stop()
  await mongo?.stop()
})

async function restart(dataDir: string): Promise<ServeProcess> {
  if (serve) {
    await serve.stop()
    outputs.push(serve.output())
  }
  serve = await startServe({ dataDir }, ENV)
  return serve
}

async function storage(method: 'storage.get' | 'storage.choose', body: unknown = {}): Promise<{ status: number; value: StorageSettings }> {
  const reply = await request<{ value: StorageSettings }>(`${serve!.url}/api/${method}`, { key: ADMIN, body })
  answers.push(JSON.stringify(reply.body))
  return { status: reply.status, value: reply.body.value }
}

/** The CLI on the same data folder: it opens the store `pregon serve` opens. */
function cli(...args: string[]): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [path.resolve(__dirname, '../../bin/pregon.js'), ...args], { env: { ...process.env, PREGON_LOG_LEVEL: 'warn' } }, (error, stdout, stderr) =>
      resolve({ code: error ? Number(error.code ?? 1) : 0, out: stdout + stderr }),
    )
  })
}

function logsOf(dataDir: string): string {
  const dir = path.join(dataDir, 'logs')
  return existsSync(dir) ? readdirSync(dir).map((f) => readFileSync(path.join(dir, f), 'utf8')).join('\n') : ''
}

describe('the installation’s own store chosen in Settings → Storage', () => {
  it('moves to MongoDB at the next start, holds the start when MongoDB is gone, and goes back to SQLite', { timeout: 120_000 }, async () => {
    mongo = await startJongodb()
    const uri = `${mongo.freshDatabase('choice')}&appName=${SECRET}`
    const target = uri.replace(/\?.*$/, '')
    const dataDir = tempDir('store-choice')
    await restart(dataDir)

    // A tenant may not move the installation; the operator's choice waits for the next start.
    expect((await request(`${serve!.url}/api/storage.choose`, { key: KEY, body: { backend: 'mongodb', uri } })).status).toBe(403)
    const unreachableAddress = await storage('storage.choose', { backend: 'mongodb', uri: 'mongodb://127.0.0.1:9/pregon' })
    expect(unreachableAddress.status).toBe(503)
    const chosen = await storage('storage.choose', { backend: 'mongodb', uri })
    expect(chosen.status).toBe(200)
    expect(chosen.value).toMatchObject({ backend: 'sqlite', chosen: { backend: 'mongodb', target }, unreachable: null })
    expect(readFileSync(path.join(dataDir, STORE_CHOICE_FILE), 'utf8')).not.toContain(SECRET)

    await restart(dataDir)
    expect(serve!.output()).toContain(`(data: MongoDB ${target})`)
    expect((await storage('storage.get')).value).toMatchObject({ backend: 'mongodb', mongodb: target, unreachable: null })
    expect(existsSync(path.join(dataDir, 'engine.lock'))).toBe(true)
    const client = new MongoClient(uri.replace(`&appName=${SECRET}`, ''), { serverSelectionTimeoutMS: 2_000 })
    try {
      expect(await client.db().collection('users').findOne({ name: 'tienda' })).toMatchObject({ name: 'tienda' })
      // The CLI follows the same choice: a user it adds lands in MongoDB.
      const added = await cli('users', 'add', 'bruno', '--data-dir', dataDir)
      expect(added.code, added.out).toBe(0)
      outputs.push(added.out)
      expect(await client.db().collection('users').findOne({ name: 'bruno' })).toMatchObject({ name: 'bruno' })
    } finally {
      await client.close()
    }

    // MongoDB gone: the start is held — SQLite's data, no engine — and the status says so.
    await serve!.stop()
    await mongo.stop()
    await restart(dataDir)
    expect(serve!.output()).toContain(`MongoDB at ${target} cannot be reached`)
    expect(serve!.output()).toContain('campaigns are NOT sending')
    const held = (await storage('storage.get')).value
    expect(held).toMatchObject({ backend: 'sqlite', chosen: { backend: 'mongodb', target }, unreachable: { target } })
    expect(existsSync(path.join(dataDir, 'engine.lock'))).toBe(false)
    // The CLI refuses rather than read or change the stale SQLite.
    const refused = await cli('users', 'list', '--data-dir', dataDir)
    expect(refused.code).toBe(1)
    expect(refused.out).toContain(`pregon: MongoDB at ${target} cannot be reached`)
    outputs.push(refused.out)

    // Back to SQLite: the next start opens the data folder and sends again.
    expect((await storage('storage.choose', { backend: 'sqlite' })).value).toMatchObject({ chosen: { backend: 'sqlite', target: null } })
    await restart(dataDir)
    expect(serve!.output()).toContain(`(data: ${dataDir})`)
    expect((await storage('storage.get')).value).toMatchObject({ backend: 'sqlite', mongodb: null, unreachable: null, chosen: { backend: 'sqlite' } })
    expect(existsSync(path.join(dataDir, 'engine.lock'))).toBe(true)

    await serve!.stop()
    outputs.push(serve!.output())
    for (const text of [...answers, ...outputs, logsOf(dataDir)]) expect(text).not.toContain(SECRET)
  })
})
