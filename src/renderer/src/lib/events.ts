// The event names the renderer listens to (a runtime list of the contract's ApiEventName union).
import type { ApiEventName } from '../../../shared/types/events'

export const API_EVENT_NAMES: readonly ApiEventName[] = ['campaign:progress', 'campaign:status', 'app:navigate', 'app:openFile']
