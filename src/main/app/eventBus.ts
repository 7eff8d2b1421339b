// Fan-out of engine events to every adapter (IPC window, SSE clients, tray) with a sequence number
// so SSE clients can resume with Last-Event-ID from a short replay buffer.

import type { ApiEventName, ApiEvents } from '../../shared/types/events'

/** Narrowed by `name`: `if (e.name === 'campaign:status') e.payload.to …`. */
export type BusEvent<N extends ApiEventName = ApiEventName> = { [E in N]: { seq: number; name: E; payload: ApiEvents[E] } }[N]

export type BusListener = (event: BusEvent) => void

export class EventBus {
  private seq = 0
  private readonly listeners = new Set<BusListener>()
  private readonly replay: BusEvent[] = []

  constructor(private readonly replaySize = 2_000) {}

  emit<E extends ApiEventName>(name: E, payload: ApiEvents[E]): void {
    const event = { seq: ++this.seq, name, payload } as BusEvent
    this.replay.push(event)
    if (this.replay.length > this.replaySize) this.replay.splice(0, this.replay.length - this.replaySize)
    for (const listener of this.listeners) listener(event)
  }

  subscribe(listener: BusListener): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  /** Events after `seq` still in the replay buffer (oldest first). */
  since(seq: number): BusEvent[] {
    return this.replay.filter((e) => e.seq > seq)
  }
}
