// `GET /api/events`: the event bus as Server-Sent Events, only the caller's own events, resumable with Last-Event-ID.

import type { FastifyReply, FastifyRequest } from 'fastify'
import type { BusEvent, EventBus } from '../app/eventBus'

export interface SseHub {
  handle(req: FastifyRequest, reply: FastifyReply, userId: string): void
  /** Ends every open stream (shutdown): browsers reconnect to the next server with Last-Event-ID. */
  closeAll(): void
}

export function createSseHub(bus: EventBus, keepAliveMs = 15_000): SseHub {
  const open = new Set<() => void>()

  return {
    handle(req, reply, userId) {
      const query = req.query as Record<string, unknown>
      const lastId = Number(req.headers['last-event-id'] ?? query.lastEventId ?? 0)
      reply.hijack()
      const res = reply.raw
      res.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        connection: 'keep-alive',
        // Reverse proxies (nginx) must not buffer a stream.
        'x-accel-buffering': 'no',
      })
      res.write('retry: 3000\n\n')

      let lastSent = Number.isFinite(lastId) && lastId > 0 ? lastId : 0
      const write = (event: BusEvent): void => {
        // Events without an owner (desktop navigation) never leave the desktop.
        const owner = 'userId' in event.payload ? event.payload.userId : null
        if (event.seq <= lastSent || owner !== userId) return
        lastSent = event.seq
        res.write(`id: ${event.seq}\nevent: ${event.name}\ndata: ${JSON.stringify(event.payload)}\n\n`)
      }
      // Replay and subscribe in the same tick, so no event falls between the two.
      const unsubscribe = bus.subscribe(write)
      if (lastSent > 0) for (const event of bus.since(lastSent)) write(event)
      const ping = setInterval(() => res.write(': keep-alive\n\n'), keepAliveMs)

      const close = (): void => {
        clearInterval(ping)
        unsubscribe()
        open.delete(close)
        if (!res.writableEnded) res.end()
      }
      open.add(close)
      req.raw.on('close', close)
      res.on('error', close)
    },
    closeAll() {
      for (const close of [...open]) close()
    },
  }
}
