// Asks for the access key printed by `pregon serve` when the page was opened without `#key=…`.

import { useState } from 'react'
import { useTranslation } from 'react-i18next'

export function SignIn({ rejected, onKey }: { rejected: boolean; onKey(key: string): void }) {
  const { t } = useTranslation()
  const [key, setKey] = useState('')
  return (
    <main className="signin">
      <form
        className="card form"
        onSubmit={(e) => {
          e.preventDefault()
          if (key.trim()) onKey(key.trim())
        }}
      >
        <h1>Pregón</h1>
        <p>{t('signin.lead')}</p>
        {rejected && (
          <p className="alert alert--error" role="alert">
            {t('signin.rejected')}
          </p>
        )}
        <label>
          {t('signin.key')}
          <input type="password" autoComplete="off" data-testid="signin-key" value={key} onChange={(e) => setKey(e.target.value)} autoFocus />
        </label>
        <button type="submit" className="button button--primary button--big" data-testid="signin-submit">
          {t('signin.enter')}
        </button>
      </form>
    </main>
  )
}
