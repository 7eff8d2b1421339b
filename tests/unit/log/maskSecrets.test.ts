// Tokens and Authorization header text are masked in free text and in every log line written to a file.

import { mkdtempSync, readdirSync, readFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { describe, expect, it, vi } from 'vitest'
import { closeLogger, createLogger } from '../../../src/main/log/logger'
import { maskSecrets } from '../../../src/main/log/maskSecrets'

const TOKEN = 'EAAGm0PBAo7LQBAKxZCZBvZBN5Y3t9ZBZA'

describe('maskSecrets', () => {
  it('masks a known secret wherever it appears, even without a recognisable shape', () => {
    expect(maskSecrets('token sim-token-123 echoed: sim-token-123', ['sim-token-123'])).toBe('token [token] echoed: [token]')
  })

  it('masks Bearer credentials, Authorization header values and access_token parameters it was not told about', () => {
    const page = `<pre>authorization: Bearer abc.DEF-123_~+/=\nAuthorization=Basic-xyz\n?access_token=q1w2e3&x=1</pre>`
    const masked = maskSecrets(page)
    expect(masked).toBe('<pre>authorization: Bearer [token]\nAuthorization=[token]\n?access_token=[token]&x=1</pre>')
  })

  it("masks Meta's token shape inside JSON and HTML", () => {
    expect(maskSecrets(JSON.stringify({ error: { message: `bad ${TOKEN}` } }))).not.toContain(TOKEN.slice(0, 12))
  })

  it('leaves ordinary text alone, including a short known secret that would mask half the words', () => {
    const text = 'The Cloud API answered HTTP 502 without an error body (Bad Gateway)'
    expect(maskSecrets(text, ['a'])).toBe(text)
  })
})

describe('the log file', () => {
  it('never receives a token or Authorization text, whether in an error, a field or the message', async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'pregon-log-'))
    const log = await createLogger({ dataDir, stdout: false })
    const proxyPage = `<html>authorization: Bearer ${TOKEN}</html>`
    log.warn({ err: Object.assign(new Error(`upstream said ${proxyPage}`), { details: proxyPage }) }, 'template list unavailable')
    log.error({ detail: `access_token=${TOKEN}` }, `paused: Authorization: Bearer ${TOKEN}`)
    closeLogger(log)
    const dir = path.join(dataDir, 'logs')
    const text = await vi.waitFor(() => {
      const written = readdirSync(dir).map((f) => readFileSync(path.join(dir, f), 'utf8')).join('\n')
      expect(written).toContain('paused:')
      return written
    })
    expect(text).toContain('template list unavailable')
    expect(text).toContain('Bearer [token]')
    expect(text).not.toContain(TOKEN.slice(0, 12))
  })
})
