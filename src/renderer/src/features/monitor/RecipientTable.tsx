// The recipients of one campaign, virtualized: pages of rows are fetched only as they scroll into view,
// so 100,000 rows cost what the screen shows.

import { useCallback, useEffect, useReducer, useRef, useState } from 'react'
import { useVirtualizer } from '@tanstack/react-virtual'
import { useTranslation } from 'react-i18next'
import type { Recipient, RecipientState } from '../../../../shared/types'
import { call, errorText, useApi } from '../../lib/api'

export const PAGE_SIZE = 200
const ROW_HEIGHT = 40

interface Props {
  campaignId: string
  state: RecipientState | null
  search: string
  /** Bumped by the parent to refetch (after a refresh, a resend or a retry). */
  version: number
  onCounts(counts: Record<RecipientState, number>, total: number): void
}

export function RecipientTable({ campaignId, state, search, version, onCounts }: Props) {
  const { t, i18n } = useTranslation()
  const api = useApi()
  const scrollRef = useRef<HTMLDivElement>(null)
  const pages = useRef(new Map<number, Recipient[]>())
  const inFlight = useRef(new Set<number>())
  const generation = useRef(0)
  const [total, setTotal] = useState(0)
  const [error, setError] = useState<string | null>(null)
  const [, rerender] = useReducer((n: number) => n + 1, 0)
  const onCountsRef = useRef(onCounts)
  onCountsRef.current = onCounts

  const fetchPage = useCallback(
    async (page: number, force = false) => {
      if (inFlight.current.has(page) || (!force && pages.current.has(page))) return
      const mine = generation.current
      inFlight.current.add(page)
      try {
        const result = await call(api, 'campaigns.recipients', {
          id: campaignId,
          offset: page * PAGE_SIZE,
          limit: PAGE_SIZE,
          ...(state ? { state } : {}),
          ...(search ? { search } : {}),
        })
        if (mine !== generation.current) return
        pages.current.set(page, result.rows)
        setTotal(result.total)
        onCountsRef.current(result.counts, result.total)
        rerender()
      } catch (e) {
        if (mine === generation.current) setError(errorText(e))
      } finally {
        inFlight.current.delete(page)
      }
    },
    [api, campaignId, state, search],
  )

  // What is shown changed (campaign, filter, search): start again from the top.
  useEffect(() => {
    generation.current += 1
    pages.current = new Map()
    inFlight.current = new Set()
    setError(null)
    scrollRef.current?.scrollTo?.({ top: 0 })
    void fetchPage(0)
  }, [fetchPage])

  const virtualizer = useVirtualizer({
    count: total,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 20,
    initialRect: { width: 800, height: 480 },
  })
  const items = virtualizer.getVirtualItems()
  const first = items[0]?.index ?? 0
  const last = items[items.length - 1]?.index ?? 0

  const visiblePages = useRef({ from: 0, to: 0 })
  visiblePages.current = { from: Math.floor(first / PAGE_SIZE), to: Math.floor(last / PAGE_SIZE) }

  useEffect(() => {
    for (let page = Math.floor(first / PAGE_SIZE); page <= Math.floor(last / PAGE_SIZE); page++) void fetchPage(page)
  }, [first, last, fetchPage])

  // New outcomes: refetch the pages on screen in place (the scroll position stays); others when next seen.
  useEffect(() => {
    if (version === 0) return
    const { from, to } = visiblePages.current
    for (const page of [...pages.current.keys()]) if (page < from || page > to) pages.current.delete(page)
    for (let page = from; page <= to; page++) void fetchPage(page, true)
  }, [version, fetchPage])

  const time = (ms: number | null) => (ms ? new Date(ms).toLocaleString(i18n.language, { dateStyle: 'short', timeStyle: 'short' }) : '')

  return (
    <div className="recipients">
      {error && (
        <p className="alert alert--error" role="alert">
          {error}
        </p>
      )}
      {/* A table to assistive technology (only the rows in view exist; aria-rowcount/rowindex say where they are),
          and a focusable scroll box so the arrow keys and Page Down scroll it. */}
      <div role="table" aria-label={t('detail.recipientsTitle')} aria-rowcount={total + 1} data-testid="recipient-table">
      <div role="rowgroup">
        <div className="recipients__head" role="row" aria-rowindex={1}>
          <span role="columnheader">#</span>
          <span role="columnheader">{t('detail.col.phone')}</span>
          <span role="columnheader">{t('detail.col.name')}</span>
          <span role="columnheader">{t('detail.col.state')}</span>
          <span role="columnheader">{t('detail.col.detail')}</span>
          <span role="columnheader">{t('detail.col.time')}</span>
        </div>
      </div>
      <div ref={scrollRef} className="recipients__scroll" data-testid="recipient-scroll" role="rowgroup" tabIndex={0} aria-label={t('detail.recipientsTitle')}>
        <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {items.map((item) => {
            const row = pages.current.get(Math.floor(item.index / PAGE_SIZE))?.[item.index % PAGE_SIZE]
            return (
              <div
                key={item.key}
                className="recipients__row"
                role="row"
                aria-rowindex={item.index + 2}
                data-testid="recipient-row"
                style={{ position: 'absolute', top: 0, left: 0, right: 0, height: item.size, transform: `translateY(${item.start}px)` }}
              >
                {row ? (
                  <>
                    <span role="cell" className="muted">{row.position + 1}</span>
                    <span role="cell" className="mono">{row.phone}</span>
                    <span role="cell">{row.name ?? ''}</span>
                    <span role="cell">
                      <span className={`pill pill--${row.state}`}>{t(`recipientState.${row.state}`)}</span>
                    </span>
                    <span role="cell" className="ellipsis" title={row.errorMessage ?? undefined}>
                      {row.skipReason
                        ? t(`skipReason.${row.skipReason}`)
                        : row.errorCode
                          ? `${row.errorCode} · ${row.errorMessage ?? ''}`
                          : row.resolution
                            ? t(`resolution.${row.resolution}`)
                            : ''}
                    </span>
                    <span role="cell" className="muted ellipsis">{time(row.readAt ?? row.deliveredAt ?? row.sentAt ?? row.failedAt)}</span>
                  </>
                ) : (
                  <span role="cell" className="muted">{t('common.loading')}</span>
                )}
              </div>
            )
          })}
        </div>
      </div>
      </div>
      {total === 0 && !error && <p className="empty">{t('detail.noRows')}</p>}
    </div>
  )
}
