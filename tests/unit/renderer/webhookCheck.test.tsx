// @vitest-environment jsdom
// The webhook notice and test: shown only while no status has arrived, the operator's own address is
// tested when given, and each outcome is said in plain words (never more than the test proved).

import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { cleanup, fireEvent, screen, waitFor } from '@testing-library/react'
import type { WebhookStatus } from '../../../src/shared/contract'
import { WebhookNotice } from '../../../src/renderer/src/features/webhooks/WebhookNotice'
import { WebhookTest } from '../../../src/renderer/src/features/webhooks/WebhookTest'
import { resetAppStore } from '../../../src/renderer/src/lib/appStore'
import { account, fakeApi, renderWithApi } from './fakeApi'

const missing: WebhookStatus = { lastStatusAt: null, callbackUrl: 'http://127.0.0.1:8787/webhook', relayConfigured: false, appSecretSet: true }

describe('the webhook notice', () => {
  beforeEach(resetAppStore)
  afterEach(cleanup)

  it('says ticks and STOP replies need the webhook, with the tunnel command for this port', async () => {
    renderWithApi(<WebhookNotice account={account()} />, fakeApi({ 'webhooks.status': () => missing }))
    expect((await screen.findByTestId('webhook-missing')).textContent).toContain('Delivered and read ticks and STOP replies need Meta’s webhook')
    expect(screen.getByTestId('tunnel-command').textContent).toBe('cloudflared tunnel --url http://127.0.0.1:8787')
  })

  it('says nothing on the monitor once a status arrived, and on the opt-out page that STOP replies arrive', async () => {
    const working = { ...missing, lastStatusAt: '2026-12-03T08:00:00.000Z' }
    const { unmount } = renderWithApi(<WebhookNotice account={account()} />, fakeApi({ 'webhooks.status': () => working }))
    await waitFor(() => expect(screen.queryByTestId('webhook-missing')).toBeNull())
    expect(screen.queryByTestId('webhook-ok')).toBeNull()
    unmount()
    renderWithApi(<WebhookNotice account={account()} variant="optouts" />, fakeApi({ 'webhooks.status': () => working }), 'es')
    expect((await screen.findByTestId('webhook-ok')).textContent).toContain('las respuestas STOP se añaden aquí solas')
  })
})

describe('the webhook test', () => {
  afterEach(cleanup)

  it('tests the address the operator typed and says where it got lost', async () => {
    const api = fakeApi({ 'webhooks.test': () => ({ target: 'https://x.trycloudflare.com/webhook', outcome: 'unreachable', httpStatus: null, elapsedMs: 10_000 }) })
    renderWithApi(<WebhookTest operator />, api)
    fireEvent.change(screen.getByTestId('webhook-test-url'), { target: { value: 'https://x.trycloudflare.com/webhook' } })
    fireEvent.click(screen.getByTestId('webhook-test-run'))
    const result = await screen.findByTestId('webhook-test-result')
    expect(result.textContent).toBe('Nothing answered at https://x.trycloudflare.com/webhook: is the tunnel or the relay running, and is the address right?')
    expect(api.calls.find((c) => c.method === 'webhooks.test')?.args).toEqual({ url: 'https://x.trycloudflare.com/webhook' })
  })

  it('does not let a tenant choose the address, and says a public address that worked is not loopback-only', async () => {
    const api = fakeApi({ 'webhooks.test': () => ({ target: 'https://relay.example.com/webhook', outcome: 'arrived', httpStatus: 200, elapsedMs: 400 }) })
    renderWithApi(<WebhookTest operator={false} />, api, 'es')
    expect(screen.queryByTestId('webhook-test-url')).toBeNull()
    fireEvent.click(screen.getByTestId('webhook-test-run'))
    const result = await screen.findByTestId('webhook-test-result')
    expect(result.textContent).toContain('volvió a Pregón en 0.4 s')
    expect(result.textContent).not.toContain('Meta no puede llegar')
    expect(api.calls.find((c) => c.method === 'webhooks.test')?.args).toEqual({})
  })
})
