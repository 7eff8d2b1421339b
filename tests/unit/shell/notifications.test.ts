import { describe, expect, it } from 'vitest'
import { navigatePayload, notificationFor } from '../../../src/main/shell/notifications'
import { status } from './fixtures'

const known = { name: 'Rebajas de enero', successCount: 4_980, failedCount: 20 }

describe('notification choice', () => {
  it('announces a completed campaign with its totals, and a click opens it', () => {
    const n = notificationFor(status('c1', 'processing', 'completed'), known, 'en')
    expect(n).toEqual({ kind: 'completed', campaignId: 'c1', title: 'Campaign completed', body: 'Rebajas de enero: 4,980 sent · 20 failed' })
    expect(navigatePayload(n!)).toEqual({ route: 'campaign', campaignId: 'c1' })
  })

  it('explains an auto-pause in plain words', () => {
    const n = notificationFor(status('c1', 'processing', 'paused', 'invalid_credentials'), known, 'en')
    expect(n?.kind).toBe('auto_paused')
    expect(n?.title).toBe('Campaign paused')
    expect(n?.body).toContain('Rebajas de enero: The WhatsApp access token is invalid or has expired.')
  })

  it('tells the daily limit apart from other pauses', () => {
    const n = notificationFor(status('c1', 'processing', 'paused', 'daily_limit_reached'), known, 'es')
    expect(n?.kind).toBe('daily_limit')
    expect(n?.title).toBe('Límite diario alcanzado')
    expect(n?.body.startsWith('Rebajas de enero: ')).toBe(true)
  })

  it('reports a campaign the engine stopped for good', () => {
    expect(notificationFor(status('c1', 'processing', 'failed', 'account_blocked'), known, 'en')?.kind).toBe('failed')
  })

  it('stays quiet for what the owner did: pause, resume, cancel', () => {
    expect(notificationFor(status('c1', 'processing', 'paused'), known, 'en')).toBeNull()
    expect(notificationFor(status('c1', 'paused', 'processing'), known, 'en')).toBeNull()
    expect(notificationFor(status('c1', 'processing', 'cancelled'), known, 'en')).toBeNull()
  })

  it('falls back to the id when the campaign name is unknown', () => {
    expect(notificationFor(status('c9', 'processing', 'completed'), undefined, 'en')?.body).toBe('c9: 0 sent · 0 failed')
  })
})
