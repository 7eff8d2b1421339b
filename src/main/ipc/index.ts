// The IPC adapter: 'api:invoke' from our own window → app.dispatch as the local user; bus events → 'api:event'.

import type { IpcMain, IpcMainInvokeEvent, WebContents } from 'electron'
import { IPC_EVENT, IPC_INVOKE } from '../../shared/contract'
import type { ApiResult } from '../../shared/errors'
import type { App } from '../app'
import { isTrustedSender, type RendererOrigin } from '../shell/security'

/** The parts of the app IPC uses (tests pass a small fake). */
export type IpcApp = Pick<App, 'dispatch' | 'events'> & { store: { users: Pick<App['store']['users'], 'ensureLocal'> } }

/** Our one window's webContents, or null while there is none. */
export type GetWebContents = () => Pick<WebContents, 'id' | 'send' | 'isDestroyed'> | null

export const UNTRUSTED_SENDER: ApiResult<never> = {
  ok: false,
  error: { code: 'unauthorized', message: 'IPC is accepted only from the Pregón window.' },
}

/** Returns a function that removes the handler and stops forwarding events. */
export function bindIpc(ipcMain: Pick<IpcMain, 'handle' | 'removeHandler'>, app: IpcApp, getWebContents: GetWebContents, origin: RendererOrigin): () => void {
  let localUserId: Promise<string> | null = null
  const userId = () => (localUserId ??= app.store.users.ensureLocal().then((u) => u.id))

  ipcMain.handle(IPC_INVOKE, async (event: Pick<IpcMainInvokeEvent, 'sender' | 'senderFrame'>, method: unknown, args: unknown) => {
    const sender = { webContentsId: event.sender.id, frameUrl: event.senderFrame?.url ?? null }
    if (!isTrustedSender(sender, getWebContents()?.id ?? null, origin)) return UNTRUSTED_SENDER
    if (typeof method !== 'string') {
      return { ok: false, error: { code: 'invalid_args', message: 'The IPC method name must be a string such as "campaigns.list".' } }
    }
    return app.dispatch({ userId: await userId() }, method, args)
  })

  const unsubscribe = app.events.subscribe((e) => {
    const target = getWebContents()
    if (target && !target.isDestroyed()) target.send(IPC_EVENT, e.name, e.payload)
  })

  return () => {
    ipcMain.removeHandler(IPC_INVOKE)
    unsubscribe()
  }
}
