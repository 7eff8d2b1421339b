import { describe, expect, it } from 'vitest'
import { EventBus } from '../../../src/main/app/eventBus'
import { bindIpc, SAVE_CANCELLED, UNTRUSTED_SENDER, type IpcApp } from '../../../src/main/ipc'
import { reportFileName } from '../../../src/main/reports'
import { rendererOrigin } from '../../../src/main/shell/security'
import { IPC_EVENT, IPC_INVOKE } from '../../../src/shared/contract'
import { campaign, progress } from './fixtures'

type InvokeHandler = (event: { sender: { id: number }; senderFrame: { url: string } | null }, method: unknown, args: unknown) => Promise<unknown>

/** `savePath` is what the fake save dialog answers (null: the owner cancelled). */
function setUp(savePath: string | null = '/home/ana/Descargas/report.xlsx') {
  const handlers = new Map<string, InvokeHandler>()
  const ipcMain = {
    handle: (channel: string, handler: InvokeHandler) => void handlers.set(channel, handler),
    removeHandler: (channel: string) => void handlers.delete(channel),
  }
  const calls: { ctx: unknown; method: string; args: unknown }[] = []
  const events = new EventBus()
  const app = {
    events,
    dispatch: async (ctx, method, args) => {
      calls.push({ ctx, method, args })
      return { ok: true, value: { echoed: method } }
    },
    store: {
      users: { ensureLocal: async () => ({ id: 'local-user', name: 'local', createdAt: '' }) },
      campaigns: { get: async (id: string, userId?: string) => (id === 'c1' && userId === 'local-user' ? campaign('c1', { campaignName: 'Promo de verano' }) : null) },
    },
  } as IpcApp
  const dialogs: string[] = []
  const chooseSavePath = async (defaultName: string) => {
    dialogs.push(defaultName)
    return savePath
  }
  const sent: unknown[][] = []
  let window: { id: number; destroyed: boolean } | null = { id: 5, destroyed: false }
  const getWebContents = () =>
    window && { id: window.id, isDestroyed: () => window!.destroyed, send: (...args: unknown[]) => void sent.push(args) }
  const origin = rendererOrigin(undefined, 'file:///app/out/renderer/index.html')
  const unbind = bindIpc(ipcMain as never, app, getWebContents as never, origin, { chooseSavePath })
  const invoke = (senderId: number, url: string | null, method: unknown, args: unknown = {}) =>
    handlers.get(IPC_INVOKE)!({ sender: { id: senderId }, senderFrame: url === null ? null : { url } }, method, args)
  return { handlers, calls, dialogs, events, sent, unbind, invoke, closeWindow: () => (window = null), setWindow: (w: typeof window) => (window = w) }
}

const OUR_PAGE = 'file:///app/out/renderer/index.html#/monitor'

describe('IPC binding', () => {
  it('dispatches calls from our window as the local user', async () => {
    const { invoke, calls } = setUp()
    expect(await invoke(5, OUR_PAGE, 'campaigns.list', { limit: 10 })).toEqual({ ok: true, value: { echoed: 'campaigns.list' } })
    expect(calls).toEqual([{ ctx: { userId: 'local-user', operator: true }, method: 'campaigns.list', args: { limit: 10 } }])
  })

  it('refuses calls from another webContents or another page, without dispatching', async () => {
    const { invoke, calls } = setUp()
    expect(await invoke(6, OUR_PAGE, 'campaigns.list')).toEqual(UNTRUSTED_SENDER)
    expect(await invoke(5, 'https://evil.example/', 'campaigns.list')).toEqual(UNTRUSTED_SENDER)
    expect(await invoke(5, null, 'campaigns.list')).toEqual(UNTRUSTED_SENDER)
    expect(calls).toEqual([])
  })

  it('says what to fix when the method name is not a string', async () => {
    const { invoke } = setUp()
    expect(await invoke(5, OUR_PAGE, 42)).toMatchObject({ ok: false, error: { code: 'invalid_args' } })
  })

  it('forwards bus events to the window as api:event, and skips them while there is no live window', () => {
    const { events, sent, closeWindow, setWindow } = setUp()
    const payload = progress('c1', 1, 2)
    events.emit('campaign:progress', payload)
    expect(sent).toEqual([[IPC_EVENT, 'campaign:progress', payload]])
    setWindow({ id: 5, destroyed: true })
    events.emit('campaign:progress', payload)
    closeWindow()
    events.emit('campaign:progress', payload)
    expect(sent).toHaveLength(1)
  })

  it('unbinds both directions', () => {
    const { handlers, events, sent, unbind } = setUp()
    unbind()
    events.emit('campaign:progress', progress('c1', 1, 2))
    expect(handlers.has(IPC_INVOKE)).toBe(false)
    expect(sent).toEqual([])
  })

  it('asks where to save a report sent without a path, named after the campaign, and saves it there', async () => {
    const { invoke, calls, dialogs } = setUp('/home/ana/Descargas/promo.xlsx')
    await invoke(5, OUR_PAGE, 'reports.save', { id: 'c1', format: 'xlsx', lang: 'en' })
    expect(dialogs).toEqual([reportFileName('Promo de verano', 'xlsx')])
    expect(dialogs[0]).toMatch(/^promo-de-verano-\d{4}-\d{2}-\d{2}\.xlsx$/)
    expect(calls).toEqual([
      { ctx: { userId: 'local-user', operator: true }, method: 'reports.save', args: { id: 'c1', format: 'xlsx', lang: 'en', path: '/home/ana/Descargas/promo.xlsx' } },
    ])
  })

  it('answers "cancelled" without saving when the owner closes the save dialog', async () => {
    const { invoke, calls, dialogs } = setUp(null)
    expect(await invoke(5, OUR_PAGE, 'reports.save', { id: 'c1', format: 'pdf' })).toEqual(SAVE_CANCELLED)
    expect(SAVE_CANCELLED).toEqual({ ok: false, error: { code: 'invalid_args', message: 'cancelled' } })
    expect(dialogs).toHaveLength(1)
    expect(calls).toEqual([])
  })

  it('opens no dialog when the path is given, the args are wrong or the campaign is unknown: the core answers those', async () => {
    const { invoke, calls, dialogs } = setUp()
    await invoke(5, OUR_PAGE, 'reports.save', { id: 'c1', format: 'csv', path: '/tmp/mine.csv' })
    await invoke(5, OUR_PAGE, 'reports.save', { id: 'c1', format: 'docx' })
    await invoke(5, OUR_PAGE, 'reports.save', { id: 'someone-elses', format: 'csv' })
    expect(dialogs).toEqual([])
    expect(calls.map((c) => c.args)).toEqual([
      { id: 'c1', format: 'csv', path: '/tmp/mine.csv' },
      { id: 'c1', format: 'docx' },
      { id: 'someone-elses', format: 'csv' },
    ])
  })

  it('never opens a save dialog for an untrusted sender', async () => {
    const { invoke, dialogs } = setUp()
    expect(await invoke(6, OUR_PAGE, 'reports.save', { id: 'c1', format: 'pdf' })).toEqual(UNTRUSTED_SENDER)
    expect(dialogs).toEqual([])
  })
})
