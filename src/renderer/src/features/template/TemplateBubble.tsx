// A WhatsApp-like message bubble showing the template as the first contact will receive it.

import { useTranslation } from 'react-i18next'
import type { ApprovedTemplate } from '../../../../shared/types'
import { component, mediaHeaderKind, previewText, type Slot, type SlotMapping } from './templateMapping'

interface Props {
  template: ApprovedTemplate
  slots: Slot[]
  mapping: SlotMapping
  contact: Record<string, string>
  headerLink: string
}

export function TemplateBubble({ template, slots, mapping, contact, headerLink }: Props) {
  const { t } = useTranslation()
  const header = component(template, 'HEADER')
  const footer = component(template, 'FOOTER')
  const buttons = component(template, 'BUTTONS')?.buttons ?? []
  const media = mediaHeaderKind(template)
  return (
    // The template's text is in the template's language, whatever the screen's (screen readers, spell check).
    <div className="chat" data-testid="bubble" lang={template.language.replace('_', '-')}>
      <div className="bubble">
        {media && (
          <div className="bubble__media" data-testid="bubble-media">
            {media === 'image' && /^https:\/\//.test(headerLink) ? (
              <img src={headerLink} alt="" />
            ) : (
              <span>{t(`template.mediaKind.${media}`)}</span>
            )}
          </div>
        )}
        {header?.format === 'TEXT' && (
          <strong className="bubble__header" data-testid="bubble-header">
            {previewText(header.text, 'header', slots, mapping, contact)}
          </strong>
        )}
        <p className="bubble__body" data-testid="bubble-body">
          {previewText(component(template, 'BODY')?.text, 'body', slots, mapping, contact)}
        </p>
        {footer?.text && <small className="bubble__footer">{footer.text}</small>}
        <span className="bubble__time">12:00 ✓✓</span>
      </div>
      {buttons.map((button, index) => (
        <div className="bubble__button" key={index}>
          {button.text}
        </div>
      ))}
    </div>
  )
}
