// The tier an account is held to (Meta's when readable, else the user's, else 250), and the engine's count against it.

import { describe, expect, it } from 'vitest'
import { explainTier } from '../../../src/shared/errorCatalog'
import { accountTier, readTier } from '../../../src/shared/types'
import { FakeClock } from '../../../src/main/engine/clock'
import { MessagingTier } from '../../../src/main/engine/messagingTier'
import type { LedgerStore } from '../../../src/main/store/ports'

describe('readTier', () => {
  it('reads the tier names Meta documents, in any case, and the numbers its webhooks use', () => {
    expect(readTier('TIER_2K')).toBe('TIER_2K')
    expect(readTier(' tier_1k ')).toBe('TIER_1K')
    expect(readTier(2000)).toBe('TIER_2K')
    expect(readTier('100000')).toBe('TIER_100K')
    expect(readTier(-1)).toBe('TIER_UNLIMITED')
  })

  it('calls a missing, unset or unreadable tier unknown (null)', () => {
    for (const value of [undefined, null, '', 'TIER_NOT_SET', 'TIER_5K', 1234, {}, ['TIER_250']]) expect(readTier(value)).toBeNull()
  })
})

describe('accountTier', () => {
  it('uses what Meta said when it is readable', () => {
    expect(accountTier({ messagingLimitTier: 'TIER_10K', userMessagingLimitTier: 'TIER_50' })).toEqual({ tier: 'TIER_10K', limit: 10_000, source: 'meta' })
    expect(accountTier({ messagingLimitTier: 'TIER_UNLIMITED', userMessagingLimitTier: null })).toEqual({ tier: 'TIER_UNLIMITED', limit: null, source: 'meta' })
  })

  it('uses the user’s tier while Meta says none', () => {
    expect(accountTier({ messagingLimitTier: null, userMessagingLimitTier: 'TIER_2K' })).toEqual({ tier: 'TIER_2K', limit: 2_000, source: 'user' })
    expect(accountTier({ messagingLimitTier: 'TIER_NOT_SET', userMessagingLimitTier: 'TIER_1K' })).toMatchObject({ limit: 1_000, source: 'user' })
  })

  it('assumes 250, the tier of a new business, when neither says one', () => {
    expect(accountTier({ messagingLimitTier: null, userMessagingLimitTier: null })).toEqual({ tier: 'TIER_250', limit: 250, source: 'assumed' })
    expect(accountTier({ messagingLimitTier: 'garbage', userMessagingLimitTier: null })).toEqual({ tier: 'TIER_250', limit: 250, source: 'assumed' })
  })
})

describe('explainTier', () => {
  it('says nothing when Meta gave the tier, and says what is assumed and how to change it otherwise', () => {
    expect(explainTier({ tier: 'TIER_2K', limit: 2_000, source: 'meta' }, 'en')).toBeNull()
    const assumed = { tier: 'TIER_250', limit: 250, source: 'assumed' } as const
    expect(explainTier(assumed, 'en')).toBe('Tier unknown: assuming 250 until Meta says otherwise; change it in the account.')
    expect(explainTier(assumed, 'es')).toBe('Límite diario desconocido: se asumen 250 clientes hasta que Meta diga otra cosa; cámbialo en la cuenta.')
    expect(explainTier({ tier: 'TIER_2K', limit: 2_000, source: 'user' }, 'es')).toContain('2.000')
  })
})

describe('MessagingTier', () => {
  /** A ledger that knows `inLedger` unique recipients: the writer has flushed only those. */
  function tierWith(limit: number) {
    const ledger = { inLedger: 0 }
    const fake = {
      uniqueRecipientsSince: async () => ledger.inLedger,
      oldestRecipientSince: async () => null,
    } as unknown as LedgerStore
    return { tier: new MessagingTier(fake, 'acc_1', limit, new FakeClock(0)), ledger }
  }

  it('counts sends Meta accepted that the ledger does not hold yet when it reads the ledger again', async () => {
    const { tier, ledger } = tierWith(10)
    expect(await tier.reserve(8)).toBe(8)
    for (let i = 0; i < 8; i += 1) tier.settle(true)
    tier.confirm(3)
    ledger.inLedger = 3
    tier.setLimit(10)
    // 3 in the ledger + 5 accepted and not yet written: room for 2, not 7.
    expect(await tier.reserve(5)).toBe(2)
  })

  it('shrinks the room at once when the limit drops, whatever was reserved before', async () => {
    const { tier, ledger } = tierWith(250)
    expect(await tier.reserve(50)).toBe(50)
    for (let i = 0; i < 50; i += 1) tier.settle(true)
    tier.confirm(50)
    ledger.inLedger = 50
    tier.setLimit(50)
    expect(await tier.reserve(10)).toBe(0)
  })
})
