// V8 takes an unknown flag with one line on stderr and carries on: these tests fail instead, if a Node
// upgrade renames one, and check that the flags do what v8Tuning.ts says when set at run time.
import { execFileSync } from 'node:child_process'
import { describe, expect, it } from 'vitest'
import { SENDER_V8_FLAGS } from '../../../src/main/runtime/v8Tuning'

const nodeRun = (script: string): string =>
  execFileSync(process.execPath, ['-e', script], { encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } })

describe('tuneV8ForSending', () => {
  it('uses only flags this V8 knows', () => {
    const known = execFileSync(process.execPath, ['--v8-options'], { encoding: 'utf8' })
    for (const flag of SENDER_V8_FLAGS) {
      const name = flag.replace(/^--/, '').replace(/=.*$/, '')
      expect(known, `${name} is not a V8 flag of Node ${process.version}`).toContain(`--${name} `)
    }
  })

  it('keeps the young generation from growing when set at run time', () => {
    // Allocate steadily with a little kept alive, as a sender does, and read the young generation's size.
    const script = (flags: readonly string[]) => `
      const v8 = require('node:v8')
      for (const f of ${JSON.stringify(flags)}) v8.setFlagsFromString(f)
      const keep = []
      for (let i = 0; i < 3e6; i++) { const o = { i, s: 'x' + i }; if (i % 50 === 0) keep.push(o); if (keep.length > 2e4) keep.length = 0 }
      const young = v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space')
      process.stdout.write(String(young.space_size))`
    const tuned = Number(nodeRun(script(SENDER_V8_FLAGS)))
    const untuned = Number(nodeRun(script([])))
    expect(tuned).toBeLessThan(untuned)
    expect(tuned).toBeLessThanOrEqual(4 * 1024 * 1024)
  })
})
