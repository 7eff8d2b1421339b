import { describe, expect, it } from 'vitest'
import { contentSecurityPolicy, externalLinkAction, isTrustedSender, navigationAllowed, rendererOrigin, withCsp } from '../../../src/main/shell/security'

const built = rendererOrigin(undefined, 'file:///opt/Pregón/resources/app/out/renderer/index.html')
const dev = rendererOrigin('http://localhost:5173', 'file:///ignored/index.html')

describe('IPC sender check', () => {
  it('accepts our window showing our built page, with a hash route', () => {
    expect(isTrustedSender({ webContentsId: 3, frameUrl: 'file:///opt/Preg%C3%B3n/resources/app/out/renderer/index.html#/monitor' }, 3, built)).toBe(true)
  })

  it('rejects another webContents, a gone frame, or no window at all', () => {
    const url = 'file:///opt/Pregón/resources/app/out/renderer/index.html'
    expect(isTrustedSender({ webContentsId: 4, frameUrl: url }, 3, built)).toBe(false)
    expect(isTrustedSender({ webContentsId: 3, frameUrl: null }, 3, built)).toBe(false)
    expect(isTrustedSender({ webContentsId: 3, frameUrl: url }, null, built)).toBe(false)
  })

  it('rejects any other file or site loaded in our window', () => {
    expect(isTrustedSender({ webContentsId: 3, frameUrl: 'file:///tmp/evil.html' }, 3, built)).toBe(false)
    expect(isTrustedSender({ webContentsId: 3, frameUrl: 'https://example.com/' }, 3, built)).toBe(false)
  })

  it('in dev, accepts the dev server origin only', () => {
    expect(isTrustedSender({ webContentsId: 1, frameUrl: 'http://localhost:5173/#/accounts' }, 1, dev)).toBe(true)
    expect(isTrustedSender({ webContentsId: 1, frameUrl: 'http://localhost:5174/' }, 1, dev)).toBe(false)
    expect(isTrustedSender({ webContentsId: 1, frameUrl: 'not a url' }, 1, dev)).toBe(false)
  })
})

describe('navigation and links', () => {
  it('lets the page reload itself and blocks everything else', () => {
    expect(navigationAllowed('http://localhost:5173/', dev)).toBe(true)
    expect(navigationAllowed('https://evil.example/', dev)).toBe(false)
    expect(navigationAllowed('file:///etc/passwd', built)).toBe(false)
  })

  it('opens https links in the browser and drops every other scheme', () => {
    expect(externalLinkAction('https://business.facebook.com/wa/manage')).toBe('open-external')
    expect(externalLinkAction('http://example.com')).toBe('ignore')
    expect(externalLinkAction('file:///etc/passwd')).toBe('ignore')
    expect(externalLinkAction('javascript:alert(1)')).toBe('ignore')
  })
})

describe('content security policy', () => {
  it('allows only our own scripts and connections in production', () => {
    const csp = contentSecurityPolicy()
    expect(csp).toContain("default-src 'none'")
    expect(csp).toContain("script-src 'self';")
    expect(csp).toContain("connect-src 'self';")
    expect(csp).not.toContain("script-src 'self' 'unsafe-inline'")
    expect(csp).not.toContain('unsafe-eval')
  })

  it('lets the dev server run its inline preamble and open its HMR socket', () => {
    const csp = contentSecurityPolicy('http://localhost:5173')
    expect(csp).toContain("script-src 'self' 'unsafe-inline'")
    expect(csp).toContain("connect-src 'self' ws://localhost:5173")
  })

  it('replaces any CSP the response carried and keeps the other headers', () => {
    const headers = withCsp({ 'content-security-policy': ['default-src *'], 'Content-Type': 'text/html' }, "default-src 'none'")
    expect(headers).toEqual({ 'Content-Type': ['text/html'], 'Content-Security-Policy': ["default-src 'none'"] })
  })
})
