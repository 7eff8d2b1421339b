import { describe, expect, it } from 'vitest'
import { EventBus } from '../../../src/main/app/eventBus'
import { ShellController, trayIconFile, type TrayView } from '../../../src/main/shell/controller'
import type { ShellNotification } from '../../../src/main/shell/notifications'
import { campaign, progress, status } from './fixtures'

function setUp(names: Record<string, string> = {}) {
  const trays: TrayView[] = []
  const bars: number[] = []
  const notes: ShellNotification[] = []
  const blockers: string[] = []
  const engineCalls: string[] = []
  const controller = new ShellController({
    lang: 'en',
    engine: {
      pause: async (id) => engineCalls.push(`pause ${id}`),
      resume: async (id) => engineCalls.push(`resume ${id}`),
    },
    campaignName: async (id) => names[id] ?? null,
    ports: {
      renderTray: (view) => trays.push(view),
      setProgressBar: (value) => bars.push(value),
      notify: (n) => notes.push(n),
      powerSaveBlocker: { start: () => (blockers.push('start'), 1), stop: () => blockers.push('stop') },
    },
  })
  const bus = new EventBus()
  bus.subscribe((e) => controller.handle(e))
  return { controller, bus, trays, bars, notes, blockers, engineCalls }
}

describe('shell controller', () => {
  it('shows the stored campaigns in the tray at start', () => {
    const { controller, trays, bars, blockers } = setUp()
    controller.start([campaign('a', { processed: 25, contactsCount: 100 })])
    expect(trays.at(-1)).toMatchObject({ tooltip: 'Pregón — 1 campaign · 25 / 100 · 25 %', icon: 'sending' })
    expect(bars).toEqual([0.25])
    expect(blockers).toEqual(['start'])
  })

  it('follows live events: progress, then completion with a notification, then idle', () => {
    const { controller, bus, trays, bars, notes, blockers } = setUp()
    controller.start([campaign('a', { contactsCount: 10 })])
    bus.emit('campaign:progress', progress('a', 10, 10))
    bus.emit('campaign:status', status('a', 'processing', 'completed'))
    expect(notes).toEqual([{ kind: 'completed', campaignId: 'a', title: 'Campaign completed', body: 'Campaign a: 10 sent · 0 failed' }])
    expect(trays.at(-1)).toMatchObject({ tooltip: 'Pregón — Nothing sending', icon: 'idle' })
    expect(bars.at(-1)).toBe(-1)
    expect(blockers).toEqual(['start', 'stop'])
    expect(controller.keepingAwake).toBe(false)
  })

  it('tells Electron only about real changes while progress events stream in', () => {
    const { controller, bus, trays } = setUp()
    controller.start([campaign('a', { contactsCount: 1_000 })])
    for (let i = 0; i < 5; i++) bus.emit('campaign:progress', progress('a', 1, 1_000))
    expect(trays).toHaveLength(2)
  })

  it('turns the icon to error and notifies when the engine pauses a campaign', () => {
    const { controller, bus, trays, notes } = setUp()
    controller.start([campaign('a')])
    bus.emit('campaign:status', status('a', 'processing', 'paused', 'too_many_failures'))
    expect(trays.at(-1)?.icon).toBe('error')
    expect(notes[0].kind).toBe('auto_paused')
  })

  it('pauses every sending campaign and resumes only the ones the owner paused', async () => {
    const { controller, engineCalls } = setUp()
    controller.start([
      campaign('a'),
      campaign('b', { status: 'pending' }),
      campaign('c', { status: 'paused' }),
      campaign('d', { status: 'paused', error: 'invalid_credentials' }),
    ])
    await controller.pauseAll()
    await controller.resumeAll()
    expect(engineCalls).toEqual(['pause a', 'pause b', 'resume c'])
  })

  it('names a campaign first seen through events from the store', async () => {
    const { controller, bus, notes } = setUp({ n: 'Black Friday' })
    controller.start([])
    bus.emit('campaign:progress', progress('n', 3, 3))
    await new Promise((resolve) => setImmediate(resolve))
    bus.emit('campaign:status', status('n', 'processing', 'completed'))
    expect(notes[0].body).toBe('Black Friday: 3 sent · 0 failed')
  })

  it('re-renders the tray in the new language', () => {
    const { controller, trays } = setUp()
    controller.start([])
    controller.setLanguage('es')
    expect(trays.at(-1)?.tooltip).toBe('Pregón — Sin envíos en curso')
  })

  it('finds each state icon among the committed resources', async () => {
    const { existsSync } = await import('node:fs')
    for (const state of ['idle', 'sending', 'paused', 'error'] as const) {
      const file = trayIconFile(state, 'resources')
      expect(existsSync(file), file).toBe(true)
      expect(existsSync(file.replace('.png', '@2x.png'))).toBe(true)
    }
  })
})
