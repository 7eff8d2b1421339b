// The operator on the server: `pregon installation set|show` changes the webhook settings that no tenant can
// touch over HTTP, and a `pregon serve` on the same data answers Meta's handshake with them; its admin key
// must be long enough not to be guessed.

import { execFile } from 'node:child_process'
import path from 'node:path'
import { promisify } from 'node:util'
import { afterAll, describe, expect, it } from 'vitest'
import { request, startServe, tempDir, type ServeProcess } from './httpHarness'

const PREGON = path.resolve(__dirname, '../../bin/pregon.js')
const run = promisify(execFile)
const pregon = async (...args: string[]) => (await run(process.execPath, [PREGON, ...args], { env: { ...process.env, PREGON_APP_SECRET: '', PREGON_VERIFY_TOKEN: '' } })).stdout

let serve: ServeProcess | null = null

afterAll(async () => {
  await serve?.stop()
})

describe('pregon installation', () => {
  it('sets the webhook verify token and app secret that pregon serve then uses, and shows them without the secret', async () => {
    const dataDir = tempDir('installation-cli')
    await pregon('installation', 'set', '--verify-token', 'token-del-operador', '--app-secret', 'secreto-del-operador', '--data-dir', dataDir)
    const shown = await pregon('installation', 'show', '--data-dir', dataDir)
    expect(shown).toMatch(/Verify token:\s+token-del-operador/)
    expect(shown).toMatch(/App secret:\s+set/)
    expect(shown).not.toContain('secreto-del-operador')

    serve = await startServe({ dataDir }, { PREGON_APP_SECRET: '', PREGON_VERIFY_TOKEN: '' })
    const handshake = await request(`${serve.url}/webhook?hub.mode=subscribe&hub.verify_token=token-del-operador&hub.challenge=77`)
    expect([handshake.status, handshake.body]).toEqual([200, 77])
  })

  it('refuses to serve with an admin key short enough to guess', async () => {
    await expect(startServe({ dataDir: tempDir('short-admin-key') }, { PREGON_ADMIN_KEY: 'admin123' })).rejects.toThrow(/PREGON_ADMIN_KEY is too short/)
  })
})
