// A MongoDB address typed by the operator: hidden like a password (it may hold one) and checked as typed.

import type { ReactNode } from 'react'
import { useTranslation } from 'react-i18next'

export function MongoAddressField({
  testId,
  value,
  onChange,
  problem,
  placeholder,
  children,
}: {
  testId: string
  value: string
  onChange(value: string): void
  /** What is wrong with the address as typed, or null. */
  problem: string | null
  /** The address in use, shown without its credentials; else an example in the user's language. */
  placeholder?: string | null
  children?: ReactNode
}) {
  const { t } = useTranslation()
  return (
    <label>
      {t('settings.storageAddress')}
      <input
        type="password"
        autoComplete="off"
        spellCheck={false}
        data-testid={testId}
        placeholder={placeholder ?? t('settings.storageAddressExample')}
        value={value}
        aria-invalid={Boolean(problem)}
        onChange={(e) => onChange(e.target.value)}
      />
      {problem && (
        <span className="small" role="alert">
          {problem}
        </span>
      )}
      {children}
    </label>
  )
}
