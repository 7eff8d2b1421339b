// Settings → Storage's "Test connection" against a real server (jongodb) and a closed port: it says which step
// failed, and the address's password appears nowhere in what it answers.

import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { freePort } from '../../../bench/processes'
import { testMongoConnection } from '../../../src/main/store/mirror/connectionTest'
import { startJongodb, type Jongodb } from './jongodb'

let server: Jongodb
beforeAll(async () => {
  server = await startJongodb(await freePort())
})
afterAll(async () => {
  await server?.stop()
})

describe('the MongoDB connection test', () => {
  it('reaches a server, writes and reads back in the database named, and names it without credentials', async () => {
    const result = await testMongoConnection(server.uri('tienda'))
    expect(result).toEqual({ ok: true, target: `mongodb://127.0.0.1:${server.port}/tienda`, serverVersion: expect.any(String) })
  })

  it('says a closed port is unreachable, never repeating the password', async () => {
    const closed = await freePort()
    const result = await testMongoConnection(`mongodb://ana:s3creta-larga@127.0.0.1:${closed}/tienda?authSource=admin`, 800)
    expect(result).toMatchObject({ ok: false, reason: 'unreachable', target: `mongodb://…@127.0.0.1:${closed}/tienda` })
    expect(JSON.stringify(result)).not.toContain('s3creta-larga')
  })

  it('refuses what is not a MongoDB address before connecting', async () => {
    const result = await testMongoConnection('mongodb://ana:s3creta@/')
    expect(result).toMatchObject({ ok: false, reason: 'invalid_address' })
    expect(JSON.stringify(result)).not.toContain('s3creta')
  })
})
