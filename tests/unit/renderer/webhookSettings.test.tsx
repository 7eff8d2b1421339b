// @vitest-environment jsdom
// Settings → delivery reports: the installation's webhook and relay form for the operator (the desktop's
// owner), and for a tenant of `pregon serve` only a sentence saying who sets them up.

import { afterEach, describe, expect, it } from 'vitest'
import { cleanup, fireEvent, screen } from '@testing-library/react'
import type { InstallationSettings } from '../../../src/shared/contract'
import { WebhookSettings } from '../../../src/renderer/src/features/settings/WebhookSettings'
import { fakeApi, renderWithApi } from './fakeApi'

const installation: InstallationSettings = {
  webhookVerifyToken: 'mi-token',
  webhookAppSecretSet: true,
  relayUrl: '',
  relayApiKeySet: false,
  graphUrl: 'https://graph.facebook.com',
  fromEnvironment: [],
}

afterEach(cleanup)

describe('the webhook settings', () => {
  it('show the operator the installation’s webhook and save changes as installation settings', async () => {
    let saved = installation
    const api = fakeApi({
      'installation.get': () => saved,
      'installation.set': (change) => (saved = { ...saved, webhookVerifyToken: change.webhookVerifyToken ?? saved.webhookVerifyToken, relayUrl: change.relayUrl ?? saved.relayUrl }),
    })
    renderWithApi(<WebhookSettings operator />, api, 'es')
    const token = await screen.findByDisplayValue('mi-token')
    expect(screen.getByPlaceholderText('Guardado (escribe uno nuevo para cambiarlo)')).toBeTruthy()

    fireEvent.change(token, { target: { value: 'otro-token' } })
    fireEvent.submit(screen.getByTestId('webhook-form'))
    await screen.findByText('Guardado.')
    // An empty secret field keeps the saved secret: it is not sent.
    expect(api.callsTo('installation.set')).toEqual([{ webhookVerifyToken: 'otro-token', relayUrl: '' }])
  })

  it('tell a tenant who sets up delivery reports, without a form or a request it would be refused', () => {
    const api = fakeApi({})
    renderWithApi(<WebhookSettings operator={false} />, api, 'en')
    expect(screen.getByTestId('webhook-operator-only').textContent).toMatch(/set up by whoever runs this Pregón server/)
    expect(screen.queryByTestId('webhook-form')).toBeNull()
    expect(api.calls).toEqual([])
  })

  it('say when the server’s environment fixes a setting, so saving it here changes nothing', async () => {
    renderWithApi(<WebhookSettings operator />, fakeApi({ 'installation.get': () => ({ ...installation, fromEnvironment: ['webhookAppSecret'] }) }), 'en')
    expect(await screen.findByText('Set in the server’s environment: what you save here is not used while it is there.')).toBeTruthy()
  })
})
