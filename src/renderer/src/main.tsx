// Renderer entry: picks the API client (Electron bridge, or HTTP with an access key) and mounts the app.

import { StrictMode, useMemo, useState } from 'react'
import { createRoot } from 'react-dom/client'
import { I18nextProvider } from 'react-i18next'
import { App } from './App'
import { ApiContext, electronClient, forgetKey, httpClient, rememberKey, takeKeyFromLocation } from './lib/api'
import { initI18n } from './lib/i18n'
import { applyTheme } from './lib/theme'
import { SignIn } from './features/signin/SignIn'
import './styles/app.css'

const i18n = initI18n()
applyTheme('system')

function Root() {
  const bridge = window.api
  const [key, setKey] = useState<string | null>(() => (bridge ? null : takeKeyFromLocation()))
  const [rejected, setRejected] = useState(false)
  const api = useMemo(() => {
    if (bridge) return electronClient(bridge)
    if (!key) return null
    return httpClient(key, () => {
      forgetKey()
      setRejected(true)
      setKey(null)
    })
  }, [bridge, key])

  if (!api) {
    return (
      <SignIn
        rejected={rejected}
        onKey={(next) => {
          rememberKey(next)
          setRejected(false)
          setKey(next)
        }}
      />
    )
  }
  return (
    <ApiContext.Provider value={api}>
      <App />
    </ApiContext.Provider>
  )
}

const container = document.getElementById('root')
if (!container) throw new Error('index.html needs <div id="root">')
createRoot(container).render(
  <StrictMode>
    <I18nextProvider i18n={i18n}>
      <Root />
    </I18nextProvider>
  </StrictMode>,
)
