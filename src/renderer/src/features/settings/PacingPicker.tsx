// Chooses a pacing profile: the seed's gentle ramp, the number's standard limit, or a fixed interval.

import { useTranslation } from 'react-i18next'
import type { PacingProfile } from '../../../../shared/types'

type Choice = 'seed' | 'standard' | 'custom'

export function PacingPicker({ value, onChange }: { value: PacingProfile; onChange(value: PacingProfile): void }) {
  const { t } = useTranslation()
  const kind: Choice = value.kind === 'off' ? 'standard' : value.kind
  const choose = (choice: Choice) => onChange(choice === 'custom' ? { kind: 'custom', intervalMs: value.kind === 'custom' ? value.intervalMs : 1_000 } : { kind: choice })
  return (
    <div className="pacing" data-testid="pacing">
      {(['seed', 'standard', 'custom'] as const).map((choice) => (
        <label key={choice} className={`option${kind === choice ? ' option--on' : ''}`}>
          <input type="radio" name="pacing" value={choice} checked={kind === choice} onChange={() => choose(choice)} />
          <span>
            <strong>{t(`pacing.${choice}.title`)}</strong>
            <span className="muted">{t(`pacing.${choice}.hint`)}</span>
          </span>
        </label>
      ))}
      {value.kind === 'custom' && (
        <label>
          {t('pacing.custom.interval')}
          <input
            type="number"
            min={0.05}
            step={0.05}
            data-testid="pacing-interval"
            value={value.intervalMs / 1_000}
            onChange={(e) => onChange({ kind: 'custom', intervalMs: Math.max(1, Math.round(Number(e.target.value) * 1_000)) })}
          />
        </label>
      )}
    </div>
  )
}
