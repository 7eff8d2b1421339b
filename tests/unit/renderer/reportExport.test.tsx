// @vitest-environment jsdom
// Report export: the detail page's PDF / Excel / CSV buttons call the client, and the Electron client asks the
// main process to save without a path (it shows the native dialog) and treats a closed dialog as nothing.

import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { cleanup, fireEvent, screen, waitFor } from '@testing-library/react'
import { RECIPIENT_STATES, type RecipientState } from '../../../src/shared/types'
import { CampaignDetail } from '../../../src/renderer/src/features/monitor/CampaignDetail'
import { useMonitorStore } from '../../../src/renderer/src/features/monitor/monitorStore'
import { ApiCallError, electronClient, type ReportExport } from '../../../src/renderer/src/lib/api'
import { resetAppStore } from '../../../src/renderer/src/lib/appStore'
import { campaign, fakeApi, renderWithApi, type ExportRequest } from './fakeApi'

const noCounts = Object.fromEntries(RECIPIENT_STATES.map((s) => [s, 0])) as Record<RecipientState, number>

function renderDetail(lang: 'en' | 'es', onExport?: (request: ExportRequest) => ReportExport | Promise<ReportExport>) {
  const done = campaign({ status: 'completed', processed: 140, successCount: 140, failedCount: 0 })
  const api = fakeApi(
    {
      'campaigns.list': () => [done],
      'campaigns.get': () => ({ ...done, _id: done.id, inMemory: null }),
      'campaigns.errors': () => [],
      'campaigns.recipients': () => ({ rows: [], total: 0, counts: noCounts }),
    },
    onExport,
  )
  renderWithApi(<CampaignDetail id="c1" />, api, lang)
  return api
}

describe('the report buttons on the campaign page', () => {
  beforeEach(() => {
    resetAppStore()
    useMonitorStore.getState().reset()
  })
  afterEach(cleanup)

  it('exports Excel, PDF and CSV in the UI’s language through the client', async () => {
    const api = renderDetail('es')
    expect((await screen.findByTestId('export-xlsx')).textContent).toContain('Excel')
    fireEvent.click(screen.getByTestId('export-xlsx'))
    expect((await screen.findByTestId('export-done')).textContent).toBe('Descargado report.xlsx')
    fireEvent.click(screen.getByTestId('export-pdf'))
    await waitFor(() => expect(api.exports).toHaveLength(2))
    fireEvent.click(screen.getByTestId('export-csv'))
    await waitFor(() => expect(api.exports).toHaveLength(3))
    expect(api.exports).toEqual([
      { id: 'c1', format: 'xlsx', lang: 'es' },
      { id: 'c1', format: 'pdf', lang: 'es' },
      { id: 'c1', format: 'csv', lang: 'es' },
    ])
  })

  it('says where the desktop saved the report', async () => {
    renderDetail('en', () => ({ kind: 'saved', path: '/home/ana/Downloads/summer-promo.pdf', fileName: 'summer-promo.pdf', bytes: 5120 }))
    fireEvent.click(await screen.findByTestId('export-pdf'))
    expect((await screen.findByTestId('export-done')).textContent).toBe('Saved to /home/ana/Downloads/summer-promo.pdf')
  })

  it('shows nothing when the owner closes the save dialog', async () => {
    const api = renderDetail('en', () => ({ kind: 'cancelled' }))
    fireEvent.click(await screen.findByTestId('export-xlsx'))
    await waitFor(() => expect(api.exports).toHaveLength(1))
    await waitFor(() => expect((screen.getByTestId('export-xlsx') as HTMLButtonElement).disabled).toBe(false))
    expect(screen.queryByTestId('export-done')).toBeNull()
    expect(screen.getByTestId('report-export').querySelector('[role=alert]')).toBeNull()
  })

  it('shows why an export failed', async () => {
    renderDetail('en', () => {
      throw new ApiCallError('internal', 'The disk is full.')
    })
    fireEvent.click(await screen.findByTestId('export-csv'))
    expect((await screen.findByRole('alert')).textContent).toBe('The disk is full.')
  })
})

describe('the Electron client’s export', () => {
  function bridgeAnswering(answer: unknown) {
    const invoked: { method: string; args: unknown }[] = []
    const bridge = {
      invoke: async (method: string, args: unknown) => {
        invoked.push({ method, args })
        return answer
      },
      on: () => () => undefined,
    }
    return { client: electronClient(bridge), invoked }
  }

  it('asks the main process for reports.save without a path, so it shows the save dialog', async () => {
    const { client, invoked } = bridgeAnswering({ ok: true, value: { path: '/home/ana/promo.xlsx', bytes: 9000, fileName: 'promo.xlsx' } })
    expect(await client.exportReport('c1', 'xlsx', 'en')).toEqual({ kind: 'saved', path: '/home/ana/promo.xlsx', bytes: 9000, fileName: 'promo.xlsx' })
    expect(invoked).toEqual([{ method: 'reports.save', args: { id: 'c1', format: 'xlsx', lang: 'en', tz: Intl.DateTimeFormat().resolvedOptions().timeZone } }])
  })

  it('turns the adapter’s "cancelled" into a quiet cancelled, and other failures into errors', async () => {
    const cancelled = bridgeAnswering({ ok: false, error: { code: 'invalid_args', message: 'cancelled' } })
    expect(await cancelled.client.exportReport('c1', 'pdf', 'es')).toEqual({ kind: 'cancelled' })
    const failed = bridgeAnswering({ ok: false, error: { code: 'not_found', message: 'Campaign c1 not found' } })
    await expect(failed.client.exportReport('c1', 'pdf', 'es')).rejects.toMatchObject({ code: 'not_found', message: 'Campaign c1 not found' })
  })
})
