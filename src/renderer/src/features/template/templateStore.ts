// The template step: the account's templates, the chosen one and how each parameter is filled.

import { create } from 'zustand'
import type { ApprovedTemplate } from '../../../../shared/types'
import type { SlotMapping, SlotSource } from './templateMapping'

interface TemplateState {
  templates: ApprovedTemplate[]
  templateId: string | null
  mapping: SlotMapping
  headerLink: string
  setTemplates(templates: ApprovedTemplate[]): void
  choose(templateId: string | null, mapping: SlotMapping): void
  setSource(slotId: string, source: SlotSource): void
  setHeaderLink(link: string): void
  reset(): void
}

const initial = { templates: [], templateId: null, mapping: {}, headerLink: '' }

export const useTemplateStore = create<TemplateState>()((set) => ({
  ...initial,
  setTemplates: (templates) => set({ templates }),
  choose: (templateId, mapping) => set({ templateId, mapping, headerLink: '' }),
  setSource: (slotId, source) => set((state) => ({ mapping: { ...state.mapping, [slotId]: source } })),
  setHeaderLink: (headerLink) => set({ headerLink }),
  reset: () => set(initial),
}))

export function chosenTemplate(state: Pick<TemplateState, 'templates' | 'templateId'>): ApprovedTemplate | null {
  return state.templates.find((t) => t.id === state.templateId) ?? null
}
