// The renderer's only door to the core: Electron's preload bridge, or HTTP + SSE against `pregon serve`;
// plus report export, which is a native save dialog on the desktop and a download in a browser.

import { createContext, useContext } from 'react'
import type { ApiArgs, ApiClient, ApiMethod, ApiResults } from '../../../shared/contract'
import type { ApiErrorData, ApiResult } from '../../../shared/errors'
import type { ApiEventName, ApiEvents } from '../../../shared/types/events'
import { API_EVENT_NAMES } from './events'
import { saveBlob } from './format'
import { i18n, type UiLang } from './i18n'
import { errorWords } from './errorWords'

/** What the Electron preload exposes as `window.api`. */
export interface PreloadBridge {
  invoke(method: string, args: unknown): Promise<unknown>
  on(event: string, listener: (payload: unknown) => void): () => void
}

declare global {
  interface Window {
    api?: PreloadBridge
  }
}

const KEY_STORAGE = 'pregon.apiKey'

/** Thrown by the HTTP client when the server rejects the key, so the app can ask for it again. */
export class UnauthorizedError extends Error {
  constructor() {
    super('The access key was not accepted')
    this.name = 'UnauthorizedError'
  }
}

export type ReportFormat = 'csv' | 'xlsx' | 'pdf'

/** What an export did: saved where the owner chose (desktop), downloaded (browser), or nothing (dialog closed). */
export type ReportExport =
  | { kind: 'saved'; path: string; fileName: string; bytes: number }
  | { kind: 'downloaded'; fileName: string; bytes: number }
  | { kind: 'cancelled' }

/** The contract's client plus what differs between desktop and browser. */
export interface UiClient extends ApiClient {
  /** Saves or downloads a campaign report; failures throw ApiCallError like `call`. */
  exportReport(id: string, format: ReportFormat, lang: UiLang): Promise<ReportExport>
}

/** Hands a downloaded file to the browser (tests pass their own). */
export type SaveFile = (blob: Blob, fileName: string) => void

const NOT_ANSWERING = 'Pregón is not answering. Is `pregon serve` still running?'
const KEY_REFUSED = 'The access key was not accepted.'

/** This computer's time zone: reports print times as the owner's clock shows them, not the server's. */
export function readerTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone
}

/** The IPC adapter's answer when the owner closes the save dialog: not an error worth showing. */
export function isSaveCancelled(error: ApiErrorData): boolean {
  return error.code === 'invalid_args' && error.message === 'cancelled'
}

export function electronClient(bridge: PreloadBridge): UiClient {
  const invoke = <M extends ApiMethod>(method: M, args: ApiArgs<M>) => bridge.invoke(method, args) as Promise<ApiResult<ApiResults[M]>>
  return {
    invoke,
    on: <E extends ApiEventName>(event: E, listener: (payload: ApiEvents[E]) => void) =>
      bridge.on(event, (payload) => listener(payload as ApiEvents[E])),
    // No path: the main process asks where with the native save dialog.
    async exportReport(id, format, lang) {
      const result = await invoke('reports.save', { id, format, lang, tz: readerTimeZone() })
      if (result.ok) return { kind: 'saved', ...result.value }
      if (isSaveCancelled(result.error)) return { kind: 'cancelled' }
      throw new ApiCallError(result.error.code, result.error.message, result.error.details)
    },
  }
}

/** `attachment; filename="promo-2025-01-15.pdf"` (or RFC 5987's `filename*=UTF-8''…`) → the file name. */
export function fileNameFromDisposition(header: string | null): string | null {
  if (!header) return null
  const encoded = /filename\*\s*=\s*(?:UTF-8)?''([^;]+)/i.exec(header)
  if (encoded) {
    try {
      return decodeURIComponent(encoded[1].trim())
    } catch {
      // A malformed encoded name: fall back to the plain one.
    }
  }
  const plain = /filename\s*=\s*"?([^";]+)"?/i.exec(header)
  return plain ? plain[1].trim() : null
}

/**
 * The browser client. One EventSource is shared by every listener; it opens with the first
 * subscription and closes with the last, and the browser reconnects it by itself.
 */
export function httpClient(key: string, onUnauthorized: () => void, baseUrl = '', saveFile: SaveFile = saveBlob): UiClient {
  const listeners = new Map<ApiEventName, Set<(payload: never) => void>>()
  let source: EventSource | null = null

  function openSource(): void {
    if (source || typeof EventSource === 'undefined') return
    source = new EventSource(`${baseUrl}/api/events?key=${encodeURIComponent(key)}`)
    for (const name of API_EVENT_NAMES) {
      source.addEventListener(name, (message) => {
        const data = JSON.parse((message as MessageEvent<string>).data) as never
        for (const listener of listeners.get(name) ?? []) listener(data)
      })
    }
  }

  function closeSourceWhenUnused(): void {
    const used = [...listeners.values()].some((set) => set.size > 0)
    if (!used && source) {
      source.close()
      source = null
    }
  }

  return {
    async invoke<M extends ApiMethod>(method: M, args: ApiArgs<M>): Promise<ApiResult<ApiResults[M]>> {
      let response: Response
      try {
        response = await fetch(`${baseUrl}/api/${method}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
          body: JSON.stringify(args ?? {}),
        })
      } catch {
        return { ok: false, error: { code: 'internal', message: NOT_ANSWERING, details: { problem: 'server_unreachable' } } }
      }
      if (response.status === 401) {
        onUnauthorized()
        return { ok: false, error: { code: 'unauthorized', message: KEY_REFUSED, details: { problem: 'key_refused' } } }
      }
      try {
        return (await response.json()) as ApiResult<ApiResults[M]>
      } catch {
        return { ok: false, error: { code: 'internal', message: `The server answered ${response.status} without a readable body.` } }
      }
    },
    // The headless API streams reports from a GET route; the bearer header keeps the key out of the URL.
    async exportReport(id, format, lang) {
      let response: Response
      try {
        response = await fetch(`${baseUrl}/api/campaigns/${encodeURIComponent(id)}/report.${format}?lang=${lang}&tz=${encodeURIComponent(readerTimeZone())}`, {
          headers: { authorization: `Bearer ${key}` },
        })
      } catch {
        throw new ApiCallError('internal', NOT_ANSWERING, { problem: 'server_unreachable' })
      }
      if (response.status === 401) {
        onUnauthorized()
        throw new ApiCallError('unauthorized', KEY_REFUSED, { problem: 'key_refused' })
      }
      if (!response.ok) {
        const body = (await response.json().catch(() => null)) as ApiResult<never> | null
        if (body && !body.ok) throw new ApiCallError(body.error.code, body.error.message, body.error.details)
        throw new ApiCallError('internal', `The server answered ${response.status} to the report download.`)
      }
      const blob = await response.blob()
      const fileName = fileNameFromDisposition(response.headers.get('content-disposition')) ?? `report.${format}`
      saveFile(blob, fileName)
      return { kind: 'downloaded', fileName, bytes: blob.size }
    },
    on<E extends ApiEventName>(event: E, listener: (payload: ApiEvents[E]) => void): () => void {
      const set = listeners.get(event) ?? new Set()
      set.add(listener as (payload: never) => void)
      listeners.set(event, set)
      openSource()
      return () => {
        set.delete(listener as (payload: never) => void)
        closeSourceWhenUnused()
      }
    },
  }
}

/** Reads `#key=…` from the URL (then forgets it there, keeping it in localStorage) or the stored key. */
export function takeKeyFromLocation(): string | null {
  const match = /(?:^#|&)key=([^&]+)/.exec(window.location.hash)
  if (match) {
    const key = decodeURIComponent(match[1])
    localStorage.setItem(KEY_STORAGE, key)
    history.replaceState(null, '', window.location.pathname + window.location.search)
    return key
  }
  return localStorage.getItem(KEY_STORAGE)
}

export function rememberKey(key: string): void {
  localStorage.setItem(KEY_STORAGE, key)
}

export function forgetKey(): void {
  localStorage.removeItem(KEY_STORAGE)
}

export const ApiContext = createContext<UiClient | null>(null)

export function useApi(): UiClient {
  const api = useContext(ApiContext)
  if (!api) throw new Error('useApi needs an <ApiContext.Provider> above it')
  return api
}

/** Unwraps a result for code paths where a failure is shown by the caller's catch. */
export class ApiCallError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message)
    this.name = 'ApiCallError'
  }
}

export async function call<M extends ApiMethod>(api: ApiClient, method: M, args: ApiArgs<M>): Promise<ApiResults[M]> {
  const result = await api.invoke(method, args)
  if (result.ok) return result.value
  throw new ApiCallError(result.error.code, result.error.message, result.error.details)
}

/** An error as the user reads it, in the UI's language (lib/errorWords). */
export function errorText(error: unknown): string {
  if (error instanceof ApiCallError) return errorWords(error, i18n.t, i18n.language)
  return error instanceof Error ? error.message : String(error)
}

/** The problem the core named in a refusal (e.g. `waba_mismatch`), for the plain-language catalogue. */
export function errorProblem(error: unknown): unknown {
  return error instanceof ApiCallError ? error.details?.problem : undefined
}

/** Meta's own sentence behind a graph_error (English, as Meta writes it), to quote beside our words. */
export function metaMessage(error: unknown): string | null {
  const message = error instanceof ApiCallError ? error.details?.metaMessage : undefined
  return typeof message === 'string' && message ? message : null
}

/** Meta's error code behind a graph_error (e.g. a refused token), for the plain-language catalogue. */
export function metaCode(error: unknown): number | null {
  const code = error instanceof ApiCallError ? error.details?.metaCode : undefined
  return typeof code === 'number' ? code : null
}
