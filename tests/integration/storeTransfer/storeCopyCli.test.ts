// `pregon store copy` as a person runs it: a data folder into MongoDB and back, each printed as a table of
// collections with their counts and checksums and "Verified"; a target holding data is refused with exit 1.

import { execFile } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { freePort } from '../../../bench/processes'
import { startJongodb, type Jongodb } from '../mirror/jongodb'
import { buildInstallation } from './installation'

const PREGON = path.resolve(__dirname, '../../../bin/pregon.js')
const run = promisify(execFile)
const pregon = (...args: string[]) => run(process.execPath, [PREGON, ...args], { env: { ...process.env, PREGON_SECRET_KEY: '' } })

let server: Jongodb
const dirs: string[] = []
beforeAll(async () => {
  server = await startJongodb(await freePort())
})
afterAll(async () => {
  await server?.stop()
  for (const dir of dirs) await rm(dir, { recursive: true, force: true })
})

describe('pregon store copy', () => {
  it('copies a data folder into MongoDB and back, printing each collection verified', async () => {
    const built = await buildInstallation(8)
    const back = await mkdtemp(path.join(tmpdir(), 'pregon-cli-back-'))
    dirs.push(built.dataDir, back)
    const uri = server.uri('cli_copy').replace('mongodb://', 'mongodb://tienda:cl4ve@')
    // jongodb takes no credentials: the address without them is the same server.
    const plain = server.uri('cli_copy')

    const there = await pregon('store', 'copy', '--from', built.dataDir, '--to', plain)
    expect(there.stdout).toMatch(/✓ campaigns\s+7\s+7\s+[0-9a-f]{16}/)
    expect(there.stdout).toMatch(/✓ recipients\s+63\s+63/)
    expect(there.stdout).toContain('Verified: every collection has the same count and checksum on both sides.')
    expect(there.stdout).toContain('secret.key')

    const back1 = await pregon('store', 'copy', '--from', plain, '--to', back)
    expect(back1.stdout).toContain('Verified')
    expect(back1.stdout).not.toMatch(/✗/)

    // Into a folder that already holds campaigns: refused, exit 1, nothing printed as copied.
    const refused = await pregon('store', 'copy', '--from', built.dataDir, '--to', back).catch((e: { code: number; stderr: string; stdout: string }) => e)
    expect(refused).toMatchObject({ code: 1 })
    expect((refused as { stderr: string }).stderr).toMatch(/already (holds \d+ (accounts|campaigns)|has another secret\.key)/)

    // A password in the address never reaches the screen, even in an error.
    const failed = await pregon('store', 'copy', '--from', uri.replace(`${server.port}`, '1'), '--to', await mkdtemp(path.join(tmpdir(), 'pregon-cli-x-')))
      .catch((e: { code: number; stderr: string; stdout: string }) => e)
    expect((failed as { code: number }).code).toBe(1)
    expect(`${(failed as { stderr: string }).stderr}${(failed as { stdout: string }).stdout}`).not.toContain('cl4ve')
  }, 60_000)
})
