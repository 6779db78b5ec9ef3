import { useEffect, useState } from 'react'
import { READING_STATUSES } from '../../../../shared/constants'
import type { SearchFilters } from '../../../../shared/contract'
import { api } from '../../api'
import { useLibrary } from '../../stores/library'

const num = (v: string) => (v.trim() === '' ? undefined : Number(v))
const dateMs = (v: string, end = false) => (v ? Date.parse(v + (end ? 'T23:59:59.999' : 'T00:00:00')) : undefined)
const msDate = (t: number | undefined) => (t === undefined ? '' : new Date(t).toISOString().slice(0, 10))

function Chips({ values, onRemove, label }: { values: string[]; onRemove: (v: string) => void; label: string }) {
  return (
    <span className="chips">
      {values.map((v) => (
        <button key={v} type="button" className="chip" onClick={() => onRemove(v)} aria-label={`Remove ${label} ${v}`}>
          {v} ×
        </button>
      ))}
    </span>
  )
}

/** Adds a value from a datalist of known values (journals, authors, tags). */
function AddValue({ id, label, options, onAdd }: { id: string; label: string; options: string[]; onAdd: (v: string) => void }) {
  const [v, setV] = useState('')
  return (
    <>
      <input
        type="text"
        list={`${id}-list`}
        aria-label={label}
        placeholder={label}
        value={v}
        data-testid={`filter-${id}`}
        onChange={(e) => setV(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && v.trim()) {
            e.preventDefault()
            onAdd(v.trim())
            setV('')
          }
        }}
      />
      <datalist id={`${id}-list`}>
        {options.map((o) => (
          <option key={o} value={o} />
        ))}
      </datalist>
    </>
  )
}

export function FilterPanel() {
  const filters = useLibrary((s) => s.filters)
  const tags = useLibrary((s) => s.tags)
  const [facets, setFacets] = useState<{ journals: string[]; authors: string[] }>({ journals: [], authors: [] })
  useEffect(() => {
    api
      .invoke('search.facets', { limit: 200 })
      .then((f) => setFacets({ journals: f.journals.map((j) => j.value), authors: f.authors.map((a) => a.value) }))
      .catch(() => {})
  }, [])
  const patch = (f: Partial<SearchFilters>) => useLibrary.getState().patchFilters(f)
  const addTo = (key: 'tags' | 'journals' | 'authors', v: string) => patch({ [key]: [...new Set([...(filters[key] ?? []), v])] })
  const removeFrom = (key: 'tags' | 'journals' | 'authors', v: string) => patch({ [key]: (filters[key] ?? []).filter((x) => x !== v) })
  const active = Object.values(filters).some((v) => v !== undefined && !(Array.isArray(v) && !v.length))

  return (
    <div className="filter-panel" data-testid="filter-panel">
      <fieldset>
        <legend>Rating</legend>
        <select aria-label="Minimum rating" value={filters.ratingMin ?? ''} data-testid="filter-rating-min" onChange={(e) => patch({ ratingMin: num(e.target.value), unrated: undefined })}>
          <option value="">any</option>
          {[1, 2, 3, 4, 5].map((n) => (
            <option key={n} value={n}>
              ≥ {n}★
            </option>
          ))}
        </select>
        <select aria-label="Maximum rating" value={filters.ratingMax ?? ''} onChange={(e) => patch({ ratingMax: num(e.target.value), unrated: undefined })}>
          <option value="">any</option>
          {[1, 2, 3, 4, 5].map((n) => (
            <option key={n} value={n}>
              ≤ {n}★
            </option>
          ))}
        </select>
        <label className="toggle">
          <input type="checkbox" checked={!!filters.unrated} onChange={(e) => patch({ unrated: e.target.checked || undefined, ratingMin: undefined, ratingMax: undefined })} /> unrated
        </label>
      </fieldset>
      <fieldset>
        <legend>Year</legend>
        <input type="number" aria-label="From year" placeholder="from" value={filters.yearFrom ?? ''} onChange={(e) => patch({ yearFrom: num(e.target.value) })} data-testid="filter-year-from" />
        <input type="number" aria-label="To year" placeholder="to" value={filters.yearTo ?? ''} onChange={(e) => patch({ yearTo: num(e.target.value) })} data-testid="filter-year-to" />
      </fieldset>
      <fieldset>
        <legend>Added</legend>
        <input type="date" aria-label="Added from" value={msDate(filters.addedFrom)} onChange={(e) => patch({ addedFrom: dateMs(e.target.value) })} />
        <input type="date" aria-label="Added until" value={msDate(filters.addedTo)} onChange={(e) => patch({ addedTo: dateMs(e.target.value, true) })} />
      </fieldset>
      <fieldset>
        <legend>Status</legend>
        {READING_STATUSES.map((s) => (
          <label key={s} className="toggle">
            <input
              type="checkbox"
              checked={filters.statuses?.includes(s) ?? false}
              data-testid={`filter-status-${s}`}
              onChange={(e) => patch({ statuses: e.target.checked ? [...(filters.statuses ?? []), s] : (filters.statuses ?? []).filter((x) => x !== s) })}
            />{' '}
            {s}
          </label>
        ))}
      </fieldset>
      <fieldset>
        <legend>Tags</legend>
        <select aria-label="Tag match" value={filters.tagMode ?? 'any'} onChange={(e) => patch({ tagMode: e.target.value as 'any' | 'all' })}>
          <option value="any">any of</option>
          <option value="all">all of</option>
        </select>
        <AddValue id="tags" label="Add tag" options={tags.map((t) => t.name)} onAdd={(v) => addTo('tags', v)} />
        <Chips values={filters.tags ?? []} label="tag" onRemove={(v) => removeFrom('tags', v)} />
      </fieldset>
      <fieldset>
        <legend>Journals</legend>
        <AddValue id="journals" label="Add journal" options={facets.journals} onAdd={(v) => addTo('journals', v)} />
        <Chips values={filters.journals ?? []} label="journal" onRemove={(v) => removeFrom('journals', v)} />
      </fieldset>
      <fieldset>
        <legend>Authors</legend>
        <AddValue id="authors" label="Add author (family name)" options={facets.authors} onAdd={(v) => addTo('authors', v)} />
        <Chips values={filters.authors ?? []} label="author" onRemove={(v) => removeFrom('authors', v)} />
      </fieldset>
      {active && (
        <button type="button" className="link" onClick={() => useLibrary.getState().setFilters({})} data-testid="filter-clear">
          Clear filters
        </button>
      )}
    </div>
  )
}
