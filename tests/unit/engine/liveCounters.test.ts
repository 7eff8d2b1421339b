// A running campaign's live counters when a status webhook reaches the ledger before the runner has
// written the send's own outcome: the row is counted once, and no count goes back when the write lands.

import { describe, expect, it } from 'vitest'
import { LiveCounters, type Counters } from '../../../src/main/engine/liveCounters'
import type { SendOutcome } from '../../../src/main/store/ports'

const ledger = (over: Partial<Counters> = {}): Counters => ({
  processed: 0,
  successCount: 0,
  failedCount: 0,
  contactsCount: 10,
  deliveredCount: 0,
  readCount: 0,
  repliedCount: 0,
  skippedCount: 0,
  uncertainCount: 0,
  ...over,
})
const sent = (id: string): SendOutcome => ({ kind: 'sent', recipientId: id, wamid: `wamid.${id}`, waId: null, log: { httpStatus: 200, latencyMs: 1 } })

describe('live counters', () => {
  it('count once a row whose delivered status reached the ledger before its send outcome was written', () => {
    const live = new LiveCounters(ledger())
    live.claimed(['1', '2'])
    live.decided(sent('1'))
    live.decided(sent('2'))
    expect(live.current).toMatchObject({ processed: 2, successCount: 2 })
    // The webhook matched row 1 by callback id: the ledger counts it (sent and delivered), row 2 not yet.
    live.reread(ledger({ processed: 1, successCount: 1, deliveredCount: 1 }), ['1'])
    expect(live.current).toMatchObject({ processed: 2, successCount: 2, deliveredCount: 1 })
    expect(live.heldRows.sort()).toEqual(['1', '2'])
    // The runner's write: row 1 changes nothing in the ledger, row 2 moves from sending to sent.
    live.written([sent('1'), sent('2')])
    expect(live.current).toMatchObject({ processed: 2, successCount: 2, deliveredCount: 1 })
    expect(live.heldRows).toEqual([])
    live.reread(ledger({ processed: 2, successCount: 2, deliveredCount: 1 }), [])
    expect(live.current).toMatchObject({ processed: 2, successCount: 2, deliveredCount: 1 })
  })

  it('count once a row whose status arrived while its request was still in flight', () => {
    const live = new LiveCounters(ledger())
    live.claimed(['1'])
    live.reread(ledger({ processed: 1, successCount: 1 }), ['1'])
    live.decided(sent('1'))
    expect(live.current).toMatchObject({ processed: 1, successCount: 1 })
    live.written([sent('1')])
    expect(live.current).toMatchObject({ processed: 1, successCount: 1 })
  })

  it('ignore settled rows it does not hold, and keep counting the ones still sending', () => {
    const live = new LiveCounters(ledger({ processed: 3, successCount: 3 }))
    live.claimed(['4'])
    live.decided(sent('4'))
    live.reread(ledger({ processed: 3, successCount: 3, deliveredCount: 3 }), ['1', '2'])
    expect(live.current).toMatchObject({ processed: 4, successCount: 4, deliveredCount: 3 })
    live.written([sent('4')])
    live.reread(ledger({ processed: 4, successCount: 4, deliveredCount: 3 }), [])
    expect(live.current).toMatchObject({ processed: 4, successCount: 4, deliveredCount: 3 })
  })
})
