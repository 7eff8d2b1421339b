// @vitest-environment jsdom
// Settings → Start on the desktop: the update check can be turned off (and on) and is saved at once.

import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { cleanup, fireEvent, screen, waitFor } from '@testing-library/react'
import type { ApiArgs, Settings } from '../../../src/shared/contract'
import { SettingsScreen } from '../../../src/renderer/src/features/settings/SettingsScreen'
import { resetAppStore, useAppStore } from '../../../src/renderer/src/lib/appStore'
import { fakeApi, renderWithApi } from './fakeApi'

const settings: Settings = {
  language: 'es',
  theme: 'system',
  defaultAccountId: null,
  defaultPacing: { kind: 'seed' },
  stopKeywords: [],
  startAtLogin: false,
  autoUpdate: true,
}
const info = (mode: 'desktop' | 'headless') => ({ version: '0.1.0', mode, simulatorUrl: null, user: { id: 'u1', name: 'local' }, osLanguage: 'es' as const, operator: mode === 'desktop' })

describe('the update setting', () => {
  beforeEach(() => resetAppStore())
  afterEach(cleanup)

  it('is offered on the desktop, on by default, and saved off when unticked', async () => {
    const api = fakeApi({ 'settings.set': (change: ApiArgs<'settings.set'>) => ({ ...settings, ...change }) as Settings })
    useAppStore.setState({ settings, info: info('desktop') })
    renderWithApi(<SettingsScreen />, api, 'es')
    const box = screen.getByRole('checkbox', { name: /Buscar actualizaciones de Pregón/ }) as HTMLInputElement
    expect(box.checked).toBe(true)
    fireEvent.click(box)
    await waitFor(() => expect(api.callsTo('settings.set')).toEqual([{ autoUpdate: false }]))
    await waitFor(() => expect(useAppStore.getState().settings?.autoUpdate).toBe(false))
  })

  it('is not offered in a browser, where there is no app to update', () => {
    useAppStore.setState({ settings, info: info('headless') })
    renderWithApi(<SettingsScreen />, fakeApi({}), 'en')
    expect(screen.queryByRole('checkbox', { name: /Look for Pregón updates/ })).toBeNull()
  })
})
