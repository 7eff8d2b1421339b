// @vitest-environment jsdom
// The monitor: the seed's colours and labels per status, which controls each status allows, live counts.

import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { act, cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react'
import { CAMPAIGN_STATUSES, type Campaign, type CampaignStatus } from '../../../src/shared/types'
import { MonitorScreen } from '../../../src/renderer/src/features/monitor/MonitorScreen'
import { useMonitorStore } from '../../../src/renderer/src/features/monitor/monitorStore'
import { resetAppStore } from '../../../src/renderer/src/lib/appStore'
import { campaign, fakeApi, renderWithApi } from './fakeApi'

const seedColours: Record<CampaignStatus, string> = {
  completed: 'green',
  processing: 'blue',
  pending: 'yellow',
  paused: 'orange',
  failed: 'red',
  cancelled: 'grey',
  scheduled: 'purple',
}

const englishLabels: Record<CampaignStatus, string> = {
  completed: 'Completed',
  processing: 'Sending',
  pending: 'Pending',
  paused: 'Paused',
  failed: 'Failed',
  cancelled: 'Cancelled',
  scheduled: 'Scheduled',
}

const spanishLabels: Record<CampaignStatus, string> = {
  completed: 'Completada',
  processing: 'Procesando',
  pending: 'Pendiente',
  paused: 'Pausada',
  failed: 'Fallida',
  cancelled: 'Cancelada',
  scheduled: 'Programada',
}

const controlsByStatus: Record<CampaignStatus, string[]> = {
  pending: ['pause', 'cancel', 'refresh'],
  processing: ['pause', 'cancel', 'refresh'],
  scheduled: ['cancel', 'refresh'],
  paused: ['resume', 'cancel', 'refresh'],
  completed: ['refresh'],
  cancelled: ['refresh'],
  failed: ['refresh'],
}

function cardFor(id: string): HTMLElement {
  const card = screen.getAllByTestId('campaign-card').find((el) => el.dataset.campaignId === id)
  if (!card) throw new Error(`no card for ${id}`)
  return card
}

function presentControls(card: HTMLElement): string[] {
  return ['pause', 'resume', 'cancel', 'refresh'].filter((id) => within(card).queryByTestId(id))
}

async function renderMonitor(campaigns: Campaign[], lang: 'en' | 'es' = 'en', extra: Parameters<typeof fakeApi>[0] = {}) {
  const api = fakeApi({ 'campaigns.list': () => campaigns, ...extra })
  renderWithApi(<MonitorScreen />, api, lang)
  await screen.findAllByTestId('campaign-card')
  return api
}

describe('the campaign monitor', () => {
  beforeEach(() => {
    resetAppStore()
    useMonitorStore.getState().reset()
  })
  afterEach(cleanup)

  it('shows every status in the seed colour with its label, pulsing only while processing', async () => {
    await renderMonitor(CAMPAIGN_STATUSES.map((status) => campaign({ id: status, status })))
    for (const status of CAMPAIGN_STATUSES) {
      const badge = within(cardFor(status)).getByTestId('status-badge')
      expect(badge.dataset.tone).toBe(seedColours[status])
      expect(badge.className).toContain(`badge--${seedColours[status]}`)
      expect(badge.textContent).toBe(englishLabels[status])
      expect(badge.className.includes('badge--pulse')).toBe(status === 'processing')
    }
  })

  it('labels the statuses in Spanish when the UI is in Spanish', async () => {
    await renderMonitor(CAMPAIGN_STATUSES.map((status) => campaign({ id: status, status })), 'es')
    for (const status of CAMPAIGN_STATUSES) expect(within(cardFor(status)).getByTestId('status-badge').textContent).toBe(spanishLabels[status])
    expect(screen.getByText('Monitor de campañas')).toBeTruthy()
  })

  it('offers pause, resume and cancel only where the status allows them', async () => {
    await renderMonitor(CAMPAIGN_STATUSES.map((status) => campaign({ id: status, status })))
    for (const status of CAMPAIGN_STATUSES) expect(presentControls(cardFor(status))).toEqual(controlsByStatus[status])
  })

  it('shows progress over the sendable rows and the success/failed/pending/delivered/read/replied counts', async () => {
    await renderMonitor([campaign()])
    const card = cardFor('c1')
    // 40 processed of 150 rows minus 10 skipped = 140 sendable → 29 %.
    expect(within(card).getByTestId('progress').getAttribute('aria-valuenow')).toBe('29')
    const count = (key: string) => within(within(card).getByTestId(`count-${key}`)).getByRole('definition').textContent
    expect([count('success'), count('failed'), count('pending'), count('delivered'), count('read'), count('replied')]).toEqual(['35', '5', '100', '20', '10', '2'])
  })

  it('moves counts, rate and ETA with campaign:progress events and the status with campaign:status', async () => {
    const api = await renderMonitor([campaign()])
    act(() =>
      api.emit('campaign:progress', {
        campaignId: 'c1',
        accountId: 'a1',
        userId: 'u1',
        status: 'processing',
        processed: 70,
        successCount: 66,
        failedCount: 4,
        contactsCount: 150,
        deliveredCount: 50,
        readCount: 30,
        repliedCount: 3,
        skippedCount: 10,
        uncertainCount: 0,
        ratePerSec: 1.25,
        etaSec: 56,
        waitingFor: null,
        resumesAt: null,
      }),
    )
    const card = cardFor('c1')
    expect(within(card).getByTestId('progress').getAttribute('aria-valuenow')).toBe('50')
    expect(within(within(card).getByTestId('count-success')).getByRole('definition').textContent).toBe('66')
    expect(within(card).getByTestId('rate').textContent).toBe('75 messages/min · about 56 s left')

    act(() =>
      api.emit('campaign:status', { campaignId: 'c1', accountId: 'a1', userId: 'u1', from: 'processing', to: 'paused', error: 'too_many_failures', errorDetail: null }),
    )
    expect(within(cardFor('c1')).getByTestId('status-badge').dataset.status).toBe('paused')
    expect(within(cardFor('c1')).getByText(/more than half of the messages failed/)).toBeTruthy()
  })

  it("says the campaign waits for Meta's rate limit and at what local time it resumes, in English and Spanish", async () => {
    const resumesAt = new Date(2026, 11, 2, 14, 32).toISOString()
    const waitingEvent = (api: Awaited<ReturnType<typeof renderMonitor>>) =>
      act(() =>
        api.emit('campaign:progress', {
          campaignId: 'c1',
          accountId: 'a1',
          userId: 'u1',
          status: 'processing',
          processed: 70,
          successCount: 70,
          failedCount: 0,
          contactsCount: 150,
          deliveredCount: 0,
          readCount: 0,
          repliedCount: 0,
          skippedCount: 0,
          uncertainCount: 0,
          ratePerSec: 0,
          etaSec: null,
          waitingFor: 'rate_limit',
          resumesAt,
        }),
      )
    waitingEvent(await renderMonitor([campaign()], 'en'))
    expect(within(cardFor('c1')).getByTestId('rate').textContent).toBe("Waiting for Meta's rate limit, resumes 2:32 PM")
    cleanup()
    useMonitorStore.getState().reset()
    waitingEvent(await renderMonitor([campaign()], 'es'))
    expect(within(cardFor('c1')).getByTestId('rate').textContent).toBe('Esperando el límite de velocidad de Meta, sigue a las 14:32')
  })

  it('pauses through the API and shows the campaign as the API returns it', async () => {
    const api = await renderMonitor([campaign()], 'en', { 'campaigns.pause': ({ id }) => campaign({ id, status: 'paused' }) })
    fireEvent.click(within(cardFor('c1')).getByTestId('pause'))
    await waitFor(() => expect(within(cardFor('c1')).getByTestId('status-badge').dataset.status).toBe('paused'))
    expect(api.callsTo('campaigns.pause')).toEqual([{ id: 'c1' }])
    expect(presentControls(cardFor('c1'))).toEqual(['resume', 'cancel', 'refresh'])
  })

  it('asks before cancelling, and shows a refused transition as an error', async () => {
    const api = await renderMonitor([campaign()], 'en', {
      'campaigns.cancel': () => {
        throw new Error('The campaign already finished.')
      },
    })
    fireEvent.click(within(cardFor('c1')).getByTestId('cancel'))
    expect(api.callsTo('campaigns.cancel')).toHaveLength(0)
    fireEvent.click(within(cardFor('c1')).getByTestId('cancel-confirm'))
    expect((await within(cardFor('c1')).findByRole('alert')).textContent).toBe('The campaign already finished.')
  })

  it('shows when a scheduled campaign starts, in purple, and lets it be cancelled but not paused', async () => {
    const startsAt = '2030-03-04T15:30:00.000Z'
    const api = await renderMonitor([campaign({ status: 'scheduled', processed: 0, successCount: 0, failedCount: 0, resumeAt: startsAt })], 'en', {
      'campaigns.cancel': ({ id }) => campaign({ id, status: 'cancelled', resumeAt: null }),
    })
    const card = cardFor('c1')
    expect(within(card).getByTestId('status-badge').dataset.tone).toBe('purple')
    const expected = new Intl.DateTimeFormat('en', { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(startsAt))
    expect(within(card).getByTestId('starts-at').textContent).toBe(`Starts ${expected}`)
    expect(presentControls(card)).toEqual(['cancel', 'refresh'])
    fireEvent.click(within(card).getByTestId('cancel'))
    fireEvent.click(within(card).getByTestId('cancel-confirm'))
    await waitFor(() => expect(within(cardFor('c1')).getByTestId('status-badge').dataset.status).toBe('cancelled'))
    expect(api.callsTo('campaigns.cancel')).toEqual([{ id: 'c1' }])
    expect(within(cardFor('c1')).queryByTestId('starts-at')).toBeNull()
  })
})
