import { beforeAll, describe, expect, it, vi } from 'vitest'
import { IPC_EVENT, IPC_INVOKE } from '../../../src/shared/contract'

type Listener = (event: unknown, ...args: unknown[]) => void

const exposed = vi.hoisted(() => ({ worlds: new Map<string, unknown>(), listeners: new Set<(event: unknown, ...args: unknown[]) => void>(), channels: new Set<string>(), invokes: [] as unknown[][] }))

vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (key: string, value: unknown) => exposed.worlds.set(key, value) },
  ipcRenderer: {
    invoke: async (...args: unknown[]) => (exposed.invokes.push(args), { ok: true, value: 'pong' }),
    on: (channel: string, listener: Listener) => (exposed.channels.add(channel), exposed.listeners.add(listener)),
    removeListener: (_channel: string, listener: Listener) => exposed.listeners.delete(listener),
  },
}))

interface Bridge {
  invoke(method: string, args: unknown): Promise<unknown>
  on(event: string, listener: (payload: unknown) => void): () => void
}

describe('preload bridge', () => {
  let api: Bridge
  beforeAll(async () => {
    await import('../../../src/preload/index')
    api = exposed.worlds.get('api') as Bridge
  })

  it('exposes window.api with invoke and on, and nothing else', () => {
    expect([...exposed.worlds.keys()]).toEqual(['api'])
    expect(Object.keys(api).sort()).toEqual(['invoke', 'on'])
  })

  it('invokes on the contract channel', async () => {
    expect(await api.invoke('app.info', {})).toEqual({ ok: true, value: 'pong' })
    expect(exposed.invokes).toEqual([[IPC_INVOKE, 'app.info', {}]])
  })

  it('hands listeners only the payload of their own event, until unsubscribed', () => {
    const got: unknown[] = []
    const off = api.on('campaign:status', (payload) => got.push(payload))
    const deliver = (...args: unknown[]) => exposed.listeners.forEach((l) => l({ sender: 'ipc internals' }, ...args))
    deliver('campaign:progress', { p: 1 })
    deliver('campaign:status', { s: 1 })
    off()
    deliver('campaign:status', { s: 2 })
    expect(got).toEqual([{ s: 1 }])
    expect(exposed.listeners.size).toBe(0)
    expect([...exposed.channels]).toEqual([IPC_EVENT])
  })
})
