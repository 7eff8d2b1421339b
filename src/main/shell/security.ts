// The window's security rules as plain functions: which IPC senders we trust, where it may navigate, its CSP.

/** Where the renderer lives: `file://…/out/renderer/index.html` when built, the dev server's URL in dev. */
export interface RendererOrigin {
  url: string
}

export function rendererOrigin(devServerUrl: string | undefined, builtIndexFileUrl: string): RendererOrigin {
  return { url: devServerUrl && devServerUrl.trim() ? devServerUrl.trim() : builtIndexFileUrl }
}

function parse(url: string): URL | null {
  try {
    return new URL(url)
  } catch {
    return null
  }
}

/** Same app: same http(s) origin as the dev server, or the very same built file (any file:// page is not ours). */
export function isOurPage(url: string, origin: RendererOrigin): boolean {
  const page = parse(url)
  const ours = parse(origin.url)
  if (!page || !ours) return false
  if (ours.protocol === 'file:') return page.protocol === 'file:' && page.host === ours.host && decodeURIComponent(page.pathname) === decodeURIComponent(ours.pathname)
  if (ours.protocol !== 'http:' && ours.protocol !== 'https:') return false
  return page.origin === ours.origin
}

export interface IpcSender {
  /** `event.sender.id` */
  webContentsId: number
  /** `event.senderFrame?.url`; null when the frame is gone. */
  frameUrl: string | null
}

/** IPC is accepted only from our own window's webContents, showing our page. */
export function isTrustedSender(sender: IpcSender, windowWebContentsId: number | null, origin: RendererOrigin): boolean {
  if (windowWebContentsId === null || sender.webContentsId !== windowWebContentsId) return false
  return sender.frameUrl !== null && isOurPage(sender.frameUrl, origin)
}

/** `will-navigate`: the page may only reload itself; everything else is prevented. */
export function navigationAllowed(url: string, origin: RendererOrigin): boolean {
  return isOurPage(url, origin)
}

/** New windows are always denied; https links go to the default browser, anything else is dropped. */
export function externalLinkAction(url: string): 'open-external' | 'ignore' {
  return parse(url)?.protocol === 'https:' ? 'open-external' : 'ignore'
}

/**
 * Our own scripts only, no network but our origin; https images for the template preview's header
 * media. The dev server also needs its inline preamble script and its HMR socket.
 */
export function contentSecurityPolicy(devServerUrl?: string): string {
  const dev = devServerUrl ? parse(devServerUrl) : null
  const hmr = dev ? ` ${dev.protocol === 'https:' ? 'wss' : 'ws'}://${dev.host}` : ''
  return [
    "default-src 'none'",
    dev ? "script-src 'self' 'unsafe-inline'" : "script-src 'self'",
    // Inline styles as in the renderer's own meta CSP (style attributes); scripts stay strict.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob: https:",
    "font-src 'self' data:",
    `connect-src 'self'${hmr}`,
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
    "object-src 'none'",
  ].join('; ')
}

/** `onHeadersReceived`: our CSP replaces whatever the response carried (any spelling of the header). */
export function withCsp(headers: Record<string, string[] | string> | undefined, csp: string): Record<string, string[]> {
  const out: Record<string, string[]> = {}
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (name.toLowerCase() === 'content-security-policy') continue
    out[name] = Array.isArray(value) ? value : [value]
  }
  out['Content-Security-Policy'] = [csp]
  return out
}
