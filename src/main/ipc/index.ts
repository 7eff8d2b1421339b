// The IPC adapter: 'api:invoke' from our own window → app.dispatch as the local user (the operator); bus events → 'api:event'.
// A report saved without a path asks where first, through an injected native save dialog.

import type { IpcMain, IpcMainInvokeEvent, WebContents } from 'electron'
import { IPC_EVENT, IPC_INVOKE } from '../../shared/contract'
import type { ApiResult } from '../../shared/errors'
import { reportSchema } from '../../shared/schemas'
import type { App } from '../app'
import { reportFileName } from '../reports'
import { isTrustedSender, type RendererOrigin } from '../shell/security'

/** The parts of the app IPC uses (tests pass a small fake). */
export type IpcApp = Pick<App, 'dispatch' | 'events'> & {
  store: { users: Pick<App['store']['users'], 'ensureLocal'>; campaigns: Pick<App['store']['campaigns'], 'get'> }
}

/** Our one window's webContents, or null while there is none. */
export type GetWebContents = () => Pick<WebContents, 'id' | 'send' | 'isDestroyed'> | null

/** The native "Save as…" dialog: the chosen path, or null when the owner cancelled. */
export type ChooseSavePath = (defaultName: string) => Promise<string | null>

export interface IpcPorts {
  chooseSavePath: ChooseSavePath
}

export const UNTRUSTED_SENDER: ApiResult<never> = {
  ok: false,
  error: { code: 'unauthorized', message: 'IPC is accepted only from the Pregón window.' },
}

/** What `reports.save` answers when the owner closes the save dialog; the UI treats it as a quiet no-op. */
export const SAVE_CANCELLED: ApiResult<never> = { ok: false, error: { code: 'invalid_args', message: 'cancelled' } }

/** Returns a function that removes the handler and stops forwarding events. */
export function bindIpc(
  ipcMain: Pick<IpcMain, 'handle' | 'removeHandler'>,
  app: IpcApp,
  getWebContents: GetWebContents,
  origin: RendererOrigin,
  ports: IpcPorts,
): () => void {
  let localUserId: Promise<string> | null = null
  const userId = () => (localUserId ??= app.store.users.ensureLocal().then((u) => u.id))

  /** Fills `path` from the dialog; anything else (a path given, bad args, an unknown campaign) goes on to the core as is. */
  async function withSavePath(args: unknown, forUser: string): Promise<{ args: unknown } | null> {
    const parsed = reportSchema.safeParse(args)
    if (!parsed.success || parsed.data.path) return { args }
    const campaign = await app.store.campaigns.get(parsed.data.id, forUser)
    if (!campaign) return { args }
    const path = await ports.chooseSavePath(reportFileName(campaign.campaignName, parsed.data.format))
    return path ? { args: { ...parsed.data, path } } : null
  }

  ipcMain.handle(IPC_INVOKE, async (event: Pick<IpcMainInvokeEvent, 'sender' | 'senderFrame'>, method: unknown, args: unknown) => {
    const sender = { webContentsId: event.sender.id, frameUrl: event.senderFrame?.url ?? null }
    if (!isTrustedSender(sender, getWebContents()?.id ?? null, origin)) return UNTRUSTED_SENDER
    if (typeof method !== 'string') {
      return { ok: false, error: { code: 'invalid_args', message: 'The IPC method name must be a string such as "campaigns.list".' } }
    }
    // The desktop's one user owns the machine, so it is also the installation's operator.
    const ctx = { userId: await userId(), operator: true }
    if (method === 'reports.save') {
      const filled = await withSavePath(args, ctx.userId)
      if (!filled) return SAVE_CANCELLED
      return app.dispatch(ctx, method, filled.args)
    }
    return app.dispatch(ctx, method, args)
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
