// The template step: the account's templates, the chosen one and how each parameter is filled.

import { create } from 'zustand'
import { createJSONStorage, persist } from 'zustand/middleware'
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

// The chosen template and its mapping survive a reload of the window (this tab's session storage).
export const useTemplateStore = create<TemplateState>()(
  persist(
    (set) => ({
      ...initial,
      setTemplates: (templates) => set({ templates }),
      choose: (templateId, mapping) => set({ templateId, mapping, headerLink: '' }),
      setSource: (slotId, source) => set((state) => ({ mapping: { ...state.mapping, [slotId]: source } })),
      setHeaderLink: (headerLink) => set({ headerLink }),
      reset: () => set(initial),
    }),
    {
      name: 'pregon:wizard:template',
      storage: createJSONStorage(() => sessionStorage),
      partialize: ({ templates, templateId, mapping, headerLink }) => ({ templates, templateId, mapping, headerLink }),
    },
  ),
)

export function chosenTemplate(state: Pick<TemplateState, 'templates' | 'templateId'>): ApprovedTemplate | null {
  return state.templates.find((t) => t.id === state.templateId) ?? null
}
