// @vitest-environment jsdom
// A campaign's detail page: why it was auto-paused, a resume that explains the risk, the error breakdown, recovery actions.

import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react'
import { RECIPIENT_STATES, type RecipientState } from '../../../src/shared/types'
import { explainError } from '../../../src/shared/errorCatalog'
import { CampaignDetail } from '../../../src/renderer/src/features/monitor/CampaignDetail'
import { useMonitorStore } from '../../../src/renderer/src/features/monitor/monitorStore'
import { resetAppStore } from '../../../src/renderer/src/lib/appStore'
import { campaign, fakeApi, renderWithApi } from './fakeApi'

const noCounts = Object.fromEntries(RECIPIENT_STATES.map((s) => [s, 0])) as Record<RecipientState, number>
const autoPaused = campaign({ status: 'paused', error: 'too_many_failures', errorDetail: '(#131026) Message undeliverable', failedCount: 60, uncertainCount: 3 })

function setup(start = autoPaused) {
  let current = start
  const api = fakeApi({
    'campaigns.list': () => [current],
    'campaigns.get': () => ({ ...current, _id: current.id, inMemory: null }),
    'campaigns.errors': () => [
      { errorCode: 131026, count: 55, errorMessage: 'Message undeliverable' },
      { errorCode: null, count: 5, errorMessage: null },
    ],
    'campaigns.recipients': () => ({ rows: [], total: 0, counts: noCounts }),
    'campaigns.resume': () => (current = { ...current, status: 'processing', error: null }),
    'campaigns.resendUncertain': () => ({ requeued: 3 }),
  })
  renderWithApi(<CampaignDetail id="c1" />, api)
  return api
}

describe('the campaign detail page', () => {
  beforeEach(() => {
    resetAppStore()
    useMonitorStore.getState().reset()
  })
  afterEach(cleanup)

  it('explains the auto-pause and resumes only after showing the risk', async () => {
    const api = setup()
    const box = await screen.findByTestId('auto-pause')
    expect(box.textContent).toContain('more than half of the messages failed')
    expect(box.textContent).toContain('(#131026) Message undeliverable')
    // The plain Resume is replaced by the explained one while the engine's pause stands.
    expect(screen.queryByTestId('resume')).toBeNull()
    fireEvent.click(within(box).getByTestId('resume-explained'))
    expect(box.textContent).toContain('WhatsApp may lower your number’s quality')
    expect(api.callsTo('campaigns.resume')).toHaveLength(0)
    fireEvent.click(within(box).getByTestId('resume-confirm'))
    await waitFor(() => expect(screen.getByTestId('campaign-detail').dataset.status).toBe('processing'))
    expect(api.callsTo('campaigns.resume')).toEqual([{ id: 'c1' }])
  })

  it('breaks failures down by code with the catalogue’s plain words', async () => {
    setup()
    const table = await screen.findByTestId('error-breakdown')
    const { title, whatToDo } = explainError(131026, 'en')
    expect(table.textContent).toContain(title)
    expect(table.textContent).toContain(whatToDo)
    expect(table.textContent).toContain('55')
    expect(table.textContent).toContain('No error code from WhatsApp.')
  })

  it('says why unconfirmed messages wait when no status has come, and that they are settled by themselves when statuses come', async () => {
    setup(campaign({ status: 'completed', uncertainCount: 3, successCount: 97, deliveredCount: 0, readCount: 0 }))
    expect((await screen.findByTestId('uncertain-why')).textContent).toContain('no status from WhatsApp has arrived for this campaign')
    cleanup()
    setup(campaign({ status: 'completed', uncertainCount: 3, successCount: 97, deliveredCount: 90, readCount: 0 }))
    expect((await screen.findByTestId('uncertain-why')).textContent).toContain('Pregón sends again by itself, once, each one that gets no status within 15 minutes')
  })

  it('resends unconfirmed messages only after warning about duplicates', async () => {
    const api = setup()
    fireEvent.click(await screen.findByTestId('resend-uncertain'))
    expect(screen.getByTestId('recovery-confirm').textContent).toContain('twice')
    fireEvent.click(screen.getByTestId('recovery-ok'))
    await screen.findByText('3 messages back in the queue.')
    expect(api.callsTo('campaigns.resendUncertain')).toEqual([{ id: 'c1' }])
  })
})
