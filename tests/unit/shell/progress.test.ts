import { describe, expect, it } from 'vitest'
import { ProgressTracker, progressBarValue, progressText, summarize, trayState, trayTooltip } from '../../../src/main/shell/progress'
import { campaign, progress, status } from './fixtures'

describe('progress aggregation', () => {
  it('adds up the campaigns in play and leaves out skipped rows from the total', () => {
    const tracker = new ProgressTracker()
    tracker.seed([
      campaign('a', { processed: 1_000, contactsCount: 3_100, skippedCount: 100 }),
      campaign('b', { processed: 234, contactsCount: 2_000, status: 'paused' }),
    ])
    const summary = tracker.summary()
    expect(summary).toMatchObject({ campaigns: 2, sending: 1, paused: 1, inError: 0, processed: 1_234, total: 5_000 })
    expect(summary.fraction).toBeCloseTo(0.2468)
  })

  it('follows progress events and drops a campaign once it finishes', () => {
    const tracker = new ProgressTracker()
    tracker.seed([campaign('a', { contactsCount: 10 }), campaign('b', { contactsCount: 10 })])
    tracker.onProgress(progress('a', 4, 10))
    expect(tracker.summary().processed).toBe(4)
    tracker.onStatus(status('a', 'processing', 'completed'))
    expect(tracker.summary()).toMatchObject({ campaigns: 1, processed: 0, total: 10 })
  })

  it('starts tracking a campaign first seen through its events', () => {
    const tracker = new ProgressTracker()
    tracker.onStatus(status('new', 'pending', 'processing'))
    tracker.onProgress(progress('new', 5, 50))
    expect(tracker.summary()).toMatchObject({ campaigns: 1, sending: 1, processed: 5, total: 50 })
  })

  it('keeps the engine-set error of an auto-paused campaign when later progress arrives', () => {
    const tracker = new ProgressTracker()
    tracker.seed([campaign('a')])
    tracker.onStatus(status('a', 'processing', 'paused', 'invalid_credentials'))
    tracker.onProgress(progress('a', 10, 100, { status: 'paused' }))
    expect(tracker.summary().inError).toBe(1)
  })

  it('never counts more processed rows than a campaign has', () => {
    expect(summarize([{ campaignId: 'a', name: 'A', status: 'processing', error: null, processed: 12, total: 10, successCount: 12, failedCount: 0 }]).fraction).toBe(1)
  })
})

describe('tray text', () => {
  const summary = summarize([
    { campaignId: 'a', name: 'A', status: 'processing', error: null, processed: 1_000, total: 3_000, successCount: 1_000, failedCount: 0 },
    { campaignId: 'b', name: 'B', status: 'processing', error: null, processed: 234, total: 2_000, successCount: 234, failedCount: 0 },
  ])

  it('reads "2 campaigns · 1,234 / 5,000 · 24 %" in English', () => {
    expect(progressText(summary, 'en')).toBe('2 campaigns · 1,234 / 5,000 · 24 %')
  })

  it('uses Spanish words and Spanish number formatting', () => {
    expect(progressText(summary, 'es')).toBe('2 campañas · 1234 / 5000 · 24 %')
    const big = { ...summary, processed: 12_345, total: 50_000 }
    expect(progressText(big, 'es')).toBe('2 campañas · 12.345 / 50.000 · 24 %')
  })

  it('says 99 % until the very last message is done', () => {
    expect(progressText({ ...summary, campaigns: 1, processed: 4_999, total: 5_000, fraction: 4_999 / 5_000 }, 'en')).toBe('1 campaign · 4,999 / 5,000 · 99 %')
  })

  it("adds that sending waits for Meta's rate limit, and the local time it resumes", () => {
    const tracker = new ProgressTracker()
    tracker.seed([campaign('a', { contactsCount: 100 })])
    const resumesAt = new Date(2026, 11, 2, 14, 32).toISOString()
    tracker.onProgress(progress('a', 40, 100, { waitingFor: 'rate_limit', resumesAt }))
    expect(progressText(tracker.summary(), 'es')).toBe('1 campaña · 40 / 100 · 40 % · esperando el límite de velocidad de Meta, sigue a las 14:32')
    expect(progressText(tracker.summary(), 'en')).toBe("1 campaign · 40 / 100 · 40 % · waiting for Meta's rate limit, resumes 2:32 PM")
    tracker.onProgress(progress('a', 41, 100))
    expect(progressText(tracker.summary(), 'en')).toBe('1 campaign · 41 / 100 · 41 %')
  })

  it('says nothing is sending when no campaign is in play', () => {
    expect(progressText(summarize([]), 'en')).toBe('Nothing sending')
    expect(trayTooltip(summarize([]), 'es')).toBe('Pregón — Sin envíos en curso')
  })
})

describe('tray state and taskbar progress', () => {
  const snap = (status: 'processing' | 'paused' | 'pending', error: null | 'invalid_credentials' | 'daily_limit_reached' = null) => ({
    campaignId: status + String(error),
    name: '',
    status,
    error,
    processed: 5,
    total: 10,
    successCount: 5,
    failedCount: 0,
  })

  it('is idle with nothing in play', () => {
    expect(trayState(summarize([]))).toBe('idle')
  })

  it('is sending while any campaign sends, even beside a paused one', () => {
    expect(trayState(summarize([snap('processing'), snap('paused')]))).toBe('sending')
  })

  it('is paused when everything in play is paused, a daily-limit wait included', () => {
    expect(trayState(summarize([snap('paused'), snap('paused', 'daily_limit_reached')]))).toBe('paused')
  })

  it('shows an error above everything when the engine paused a campaign for a reason the owner must fix', () => {
    expect(trayState(summarize([snap('processing'), snap('paused', 'invalid_credentials')]))).toBe('error')
  })

  it('shows the taskbar bar only while sending', () => {
    expect(progressBarValue(summarize([snap('processing')]))).toBe(0.5)
    expect(progressBarValue(summarize([snap('paused')]))).toBe(-1)
    expect(progressBarValue(summarize([]))).toBe(-1)
  })
})
