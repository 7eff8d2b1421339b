// @vitest-environment jsdom
// The recipient table fetches pages lazily as rows scroll into view, so 100,000 rows cost one page at a time.

import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { act, cleanup, fireEvent, screen, waitFor } from '@testing-library/react'
import type { ApiArgs } from '../../../src/shared/contract'
import { RECIPIENT_STATES, type Recipient, type RecipientState } from '../../../src/shared/types'
import { PAGE_SIZE, RecipientTable } from '../../../src/renderer/src/features/monitor/RecipientTable'
import { fakeApi, renderWithApi } from './fakeApi'

const TOTAL = 100_000

function row(position: number): Recipient {
  return {
    id: `r${position}`, campaignId: 'c1', position, phone: `+57300${String(position).padStart(7, '0')}`, name: `Cliente ${position}`,
    variables: {}, state: position % 10 === 0 ? 'failed' : 'sent', attempts: 1, nextAttemptAt: null, wamid: null, waId: null,
    errorCode: position % 10 === 0 ? 131026 : null, errorMessage: position % 10 === 0 ? 'Message undeliverable' : null, skipReason: null,
    sentAt: 1_760_000_000_000, deliveredAt: null, readAt: null, failedAt: null, repliedAt: null, updatedAt: 0, resolution: null,
  }
}

const counts = Object.fromEntries(RECIPIENT_STATES.map((s) => [s, 0])) as Record<RecipientState, number>

function bigCampaignApi() {
  return fakeApi({
    'campaigns.recipients': (args: ApiArgs<'campaigns.recipients'>) => {
      const offset = args.offset ?? 0
      const limit = args.limit ?? 100
      const total = args.search ? 1 : TOTAL
      const rows = args.search ? [row(42)] : Array.from({ length: Math.max(0, Math.min(limit, total - offset)) }, (_, i) => row(offset + i))
      return { rows, total, counts: { ...counts, sent: 90_000, failed: 10_000 } }
    },
  })
}

// jsdom has no layout: give elements the size a real 480 px table viewport would have.
const sizes = ['clientHeight', 'clientWidth'] as const
const originals = sizes.map((name) => Object.getOwnPropertyDescriptor(HTMLElement.prototype, name))

describe('the virtualized recipient table', () => {
  beforeAll(() => {
    Object.defineProperty(HTMLElement.prototype, 'clientHeight', { configurable: true, get: () => 480 })
    Object.defineProperty(HTMLElement.prototype, 'clientWidth', { configurable: true, get: () => 800 })
  })
  afterAll(() => sizes.forEach((name, i) => originals[i] && Object.defineProperty(HTMLElement.prototype, name, originals[i])))
  afterEach(cleanup)

  it('renders only the visible rows of 100,000 and fetches a page only when it scrolls into view', async () => {
    const api = bigCampaignApi()
    let reported = 0
    renderWithApi(<RecipientTable campaignId="c1" state={null} search="" version={0} onCounts={(_c, total) => (reported = total)} />, api)
    await screen.findByText('+573000000000')
    expect(reported).toBe(TOTAL)
    expect(screen.getAllByTestId('recipient-row').length).toBeLessThan(100)
    expect(api.callsTo('campaigns.recipients')).toEqual([{ id: 'c1', offset: 0, limit: PAGE_SIZE }])

    const scroller = screen.getByTestId('recipient-scroll')
    act(() => {
      scroller.scrollTop = 40 * 50_000
      fireEvent.scroll(scroller)
    })
    await screen.findByText('+573000050000')
    const offsets = api.callsTo('campaigns.recipients').map((a) => a.offset)
    expect(offsets).toContain(250 * PAGE_SIZE)
    expect(offsets.length).toBeLessThanOrEqual(3)
  })

  it('shows how each row left unconfirmed was settled', async () => {
    const settled = (position: number, resolution: Recipient['resolution']): Recipient => ({ ...row(position), state: 'sent', errorCode: null, errorMessage: null, resolution })
    const api = fakeApi({
      'campaigns.recipients': () => ({ rows: [settled(1, 'status'), settled(2, 'no_status'), settled(3, 'resent'), settled(4, null)], total: 4, counts }),
    })
    renderWithApi(<RecipientTable campaignId="c1" state={null} search="" version={0} onCounts={() => undefined} />, api)
    await screen.findByText('+573000000001')
    const text = screen.getAllByTestId('recipient-row').map((r) => r.textContent ?? '')
    expect(text[0]).toContain('Unconfirmed, then confirmed by WhatsApp')
    expect(text[1]).toContain('Unconfirmed: it had not left, sent again')
    expect(text[2]).toContain('Unconfirmed: sent again by you')
    expect(text[3]).not.toContain('Unconfirmed')
  })

  it('asks the server for the chosen state and the searched number', async () => {
    const api = bigCampaignApi()
    const { rerender } = renderWithApi(<RecipientTable campaignId="c1" state="failed" search="" version={0} onCounts={() => undefined} />, api)
    await waitFor(() => expect(api.callsTo('campaigns.recipients')[0]).toMatchObject({ state: 'failed', offset: 0 }))
    rerender(<RecipientTable campaignId="c1" state={null} search="0042" version={0} onCounts={() => undefined} />)
    await screen.findByText('+573000000042')
    expect(api.callsTo('campaigns.recipients').at(-1)).toEqual({ id: 'c1', offset: 0, limit: PAGE_SIZE, search: '0042' })
    expect(screen.getAllByTestId('recipient-row')).toHaveLength(1)
  })

  it('refetches the rows on screen in place when the campaign moves, keeping the scroll position', async () => {
    const api = bigCampaignApi()
    const table = (version: number) => <RecipientTable campaignId="c1" state={null} search="" version={version} onCounts={() => undefined} />
    const { rerender } = renderWithApi(table(0), api)
    await screen.findByText('+573000000000')
    const scroller = screen.getByTestId('recipient-scroll')
    act(() => {
      scroller.scrollTop = 40 * 1_000
      fireEvent.scroll(scroller)
    })
    await screen.findByText('+573000001000')
    const before = api.callsTo('campaigns.recipients').length
    rerender(table(1))
    await waitFor(() => expect(api.callsTo('campaigns.recipients').length).toBeGreaterThan(before))
    // Rows 980–1032 are on screen with the overscan: pages 4 and 5, nothing else.
    expect(api.callsTo('campaigns.recipients').slice(before).map((a) => a.offset)).toEqual([4 * PAGE_SIZE, 5 * PAGE_SIZE])
    expect(scroller.scrollTop).toBe(40_000)
    expect(screen.getByText('+573000001000')).toBeTruthy()
  })
})
