import { useEffect, useLayoutEffect, useRef, useState, type CSSProperties } from 'react'
import type { SearchSort } from '../../../../shared/contract'
import { useLibrary } from '../../stores/library'
import { Icon } from '../../components/Icon'
import { Highlighted, Stars } from './Highlighted'

interface Column {
  id: 'title' | 'authors' | 'year' | 'venue' | 'rating' | 'status' | 'added'
  label: string
  sort: SearchSort | null
  width: number
}

const DEFAULT_COLUMNS: Column[] = [
  { id: 'title', label: 'Title', sort: 'title', width: 420 },
  { id: 'authors', label: 'Authors', sort: null, width: 170 },
  { id: 'year', label: 'Year', sort: 'year', width: 64 },
  { id: 'venue', label: 'Journal', sort: null, width: 180 },
  { id: 'rating', label: 'Rating', sort: 'rating', width: 92 },
  { id: 'status', label: 'Status', sort: null, width: 90 },
  { id: 'added', label: 'Added', sort: 'added', width: 96 },
]
const WIDTHS_KEY = 'spm.library.columns'
const STATUS_LABEL = { unread: 'Unread', reading: 'Reading', completed: 'Completed' } as const

function loadWidths(): Column[] {
  try {
    const saved = JSON.parse(localStorage.getItem(WIDTHS_KEY) ?? '{}') as Record<string, number>
    return DEFAULT_COLUMNS.map((c) => ({ ...c, width: Math.max(48, Math.min(1200, saved[c.id] ?? c.width)) }))
  } catch {
    return DEFAULT_COLUMNS
  }
}

const fmtDate = (t: number) => new Date(t).toISOString().slice(0, 10)
const OVERSCAN = 12

/**
 * Rows all have one height, so the visible window is arithmetic on scrollTop: nothing per row of the result
 * (a general virtualizer keeps a measurement per row, i.e. 100,000 objects rebuilt on each change).
 */
function useRowWindow(ref: React.RefObject<HTMLDivElement | null>, count: number, rowHeight: number) {
  // In rows. Until the body is laid out, assume it is as tall as the window, so the first render has its rows.
  const [view, setView] = useState(() => ({ top: 0, rows: Math.ceil(window.innerHeight / rowHeight) }))
  useLayoutEffect(() => {
    const el = ref.current!
    // Re-render only when the window moves by a row, not on every scrolled pixel.
    const update = () => {
      const top = Math.floor(el.scrollTop / rowHeight)
      const rows = Math.ceil(el.clientHeight / rowHeight) + 1
      setView((v) => (v.top === top && v.rows === rows ? v : { top, rows }))
    }
    // Observing also reports the first size once laid out, without forcing a layout here.
    const ro = new ResizeObserver(update)
    ro.observe(el)
    el.addEventListener('scroll', update, { passive: true })
    return () => {
      ro.disconnect()
      el.removeEventListener('scroll', update)
    }
  }, [ref, rowHeight])
  const first = Math.max(0, view.top - OVERSCAN)
  const last = Math.min(count - 1, view.top + view.rows + OVERSCAN)
  const scrollToIndex = (i: number) => {
    const el = ref.current
    if (!el) return
    if (i * rowHeight < el.scrollTop) el.scrollTop = i * rowHeight
    else if ((i + 1) * rowHeight > el.scrollTop + el.clientHeight) el.scrollTop = (i + 1) * rowHeight - el.clientHeight
  }
  return { first, last, scrollToIndex }
}

export function PaperTable({ onOpen }: { onOpen: () => void }) {
  const total = useLibrary((s) => s.total)
  const rows = useLibrary((s) => s.rows)
  const selectedIndex = useLibrary((s) => s.selectedIndex)
  const sort = useLibrary((s) => s.sort)
  const dir = useLibrary((s) => s.dir)
  const q = useLibrary((s) => s.q)
  const [columns, setColumns] = useState(loadWidths)
  const parentRef = useRef<HTMLDivElement>(null)
  const hasText = q.trim().length > 0
  const rowHeight = hasText ? 52 : 32

  const { first, last, scrollToIndex } = useRowWindow(parentRef, total, rowHeight)
  useEffect(() => {
    if (total > 0) useLibrary.getState().ensureRange(first, last + 20)
  }, [first, last, total, rows])
  useEffect(() => {
    if (selectedIndex !== null) scrollToIndex(selectedIndex)
  }, [selectedIndex]) // follows the selection only: scrollToIndex is a new closure every render

  const template = columns.map((c) => `${c.width}px`).join(' ')
  const style = { gridTemplateColumns: template } as CSSProperties
  const effectiveSort = sort ?? (hasText ? 'relevance' : 'added')
  const effectiveDir = dir ?? (effectiveSort === 'title' || effectiveSort === 'relevance' ? 'asc' : 'desc')

  const startResize = (idx: number, e: React.PointerEvent) => {
    e.preventDefault()
    e.stopPropagation()
    const startX = e.clientX
    const startW = columns[idx].width
    const move = (ev: PointerEvent) => setColumns((cs) => cs.map((c, i) => (i === idx ? { ...c, width: Math.max(48, Math.min(1200, startW + ev.clientX - startX)) } : c)))
    const up = () => {
      window.removeEventListener('pointermove', move)
      window.removeEventListener('pointerup', up)
      setColumns((cs) => {
        localStorage.setItem(WIDTHS_KEY, JSON.stringify(Object.fromEntries(cs.map((c) => [c.id, c.width]))))
        return cs
      })
    }
    window.addEventListener('pointermove', move)
    window.addEventListener('pointerup', up)
  }

  const onKey = (e: React.KeyboardEvent) => {
    const st = useLibrary.getState()
    const cur = st.selectedIndex ?? -1
    const page = Math.max(1, Math.floor((parentRef.current?.clientHeight ?? 400) / rowHeight) - 1)
    const go = (i: number) => {
      e.preventDefault()
      st.select(i)
    }
    if (e.key === 'ArrowDown') go(cur + 1)
    else if (e.key === 'ArrowUp') go(Math.max(0, cur - 1))
    else if (e.key === 'PageDown') go(cur + page)
    else if (e.key === 'PageUp') go(Math.max(0, cur - page))
    else if (e.key === 'Home') go(0)
    else if (e.key === 'End') go(total - 1)
    else if (e.key === 'Enter' && cur >= 0) {
      e.preventDefault()
      onOpen()
    }
  }

  return (
    <div className="paper-table" role="grid" aria-label="Papers" aria-rowcount={total + 1} aria-colcount={columns.length} data-testid="paper-table">
      <div className="pt-head" role="row" aria-rowindex={1} style={style}>
        {columns.map((c, i) => {
          const active = c.sort === effectiveSort
          return (
            <div
              key={c.id}
              role="columnheader"
              className={`pt-th${active ? ' sorted' : ''}`}
              aria-sort={active ? (effectiveDir === 'asc' ? 'ascending' : 'descending') : 'none'}
            >
              {c.sort ? (
                <button type="button" className="pt-sort" onClick={() => useLibrary.getState().setSort(c.sort!)} data-testid={`sort-${c.id}`}>
                  {c.label}
                  {active ? (effectiveDir === 'asc' ? ' ▲' : ' ▼') : ''}
                </button>
              ) : (
                <span className="pt-label">{c.label}</span>
              )}
              <span className="pt-resize" role="separator" aria-orientation="vertical" aria-label={`Resize ${c.label}`} onPointerDown={(e) => startResize(i, e)} />
            </div>
          )
        })}
      </div>
      <div className="pt-body" ref={parentRef} tabIndex={0} onKeyDown={onKey} data-testid="paper-table-body" aria-activedescendant={selectedIndex !== null ? `row-${selectedIndex}` : undefined}>
        <div style={{ height: total * rowHeight, position: 'relative', width: columns.reduce((a, c) => a + c.width, 0) }}>
          {Array.from({ length: Math.max(0, last - first + 1) }, (_, k) => {
            const index = first + k
            const hit = rows.get(index)
            const selected = index === selectedIndex
            return (
              <div
                key={index}
                id={`row-${index}`}
                role="row"
                aria-rowindex={index + 2}
                aria-selected={selected}
                className={`pt-row${selected ? ' selected' : ''}${index % 2 ? ' odd' : ''}`}
                style={{ ...style, position: 'absolute', top: 0, transform: `translateY(${index * rowHeight}px)`, height: rowHeight }}
                data-testid={hit ? 'library-row' : 'library-row-loading'}
                onClick={() => useLibrary.getState().select(index)}
                onDoubleClick={onOpen}
              >
                {hit ? (
                  <>
                    <div role="gridcell" className="pt-td pt-title" title={hit.title}>
                      <div className="pt-title-text">
                        <Highlighted text={hit.titleHl} />
                        {hit.attachments > 0 && (
                          <span className="pt-att" role="img" aria-label="has attachment">
                            <Icon name="attachment" size={12} />
                          </span>
                        )}
                      </div>
                      {hasText && hit.snippet && (
                        <div className="pt-snippet" data-testid="snippet">
                          {hit.snippet.field === 'fulltext' ? <span className="muted">p. {hit.snippet.page}: </span> : null}
                          <Highlighted text={hit.snippet.text} />
                        </div>
                      )}
                    </div>
                    <div role="gridcell" className="pt-td" title={hit.authors}>
                      {hit.authors}
                    </div>
                    <div role="gridcell" className="pt-td num">
                      {hit.year ?? ''}
                    </div>
                    <div role="gridcell" className="pt-td" title={hit.venue ?? ''}>
                      {hit.venue ?? ''}
                    </div>
                    <div role="gridcell" className="pt-td" data-testid="row-rating">
                      <Stars value={hit.rating} />
                    </div>
                    <div role="gridcell" className={`pt-td status-${hit.readingStatus}`}>
                      {STATUS_LABEL[hit.readingStatus]}
                    </div>
                    <div role="gridcell" className="pt-td num">
                      {fmtDate(hit.addedAt)}
                    </div>
                  </>
                ) : (
                  <div role="gridcell" className="pt-td muted">
                    Loading…
                  </div>
                )}
              </div>
            )
          })}
        </div>
      </div>
    </div>
  )
}
