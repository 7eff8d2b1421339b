// The renderer's only bridge: window.api = { invoke, on } over 'api:invoke' / 'api:event', nothing else.

import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron'

// Sandboxed preloads may require only 'electron': the two channel names are repeated from src/shared/contract.ts.
const IPC_INVOKE = 'api:invoke'
const IPC_EVENT = 'api:event'

contextBridge.exposeInMainWorld('api', {
  invoke: (method: string, args: unknown): Promise<unknown> => ipcRenderer.invoke(IPC_INVOKE, method, args),
  on(event: string, listener: (payload: unknown) => void): () => void {
    // The listener gets the payload only: never the IpcRendererEvent, which would leak ipcRenderer to the page.
    const forward = (_e: IpcRendererEvent, name: string, payload: unknown) => {
      if (name === event) listener(payload)
    }
    ipcRenderer.on(IPC_EVENT, forward)
    return () => {
      ipcRenderer.removeListener(IPC_EVENT, forward)
    }
  },
})
