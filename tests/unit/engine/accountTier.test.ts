// The tier an account is held to: Meta's when readable, else the user's, else 250 — never unlimited by default.

import { describe, expect, it } from 'vitest'
import { explainTier } from '../../../src/shared/errorCatalog'
import { accountTier, readTier } from '../../../src/shared/types'

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
