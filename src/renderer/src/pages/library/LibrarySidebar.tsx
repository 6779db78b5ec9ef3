import { READING_STATUSES } from '../../../../shared/constants'
import type { Collection } from '../../../../shared/contract'
import { useDuplicates } from '../../stores/duplicates'
import { useLibrary } from '../../stores/library'

function CollectionTree({ items, parentId, depth }: { items: Collection[]; parentId: number | null; depth: number }) {
  const current = useLibrary((s) => s.filters.collectionId)
  const children = items.filter((c) => c.parentId === parentId).sort((a, b) => a.position - b.position || a.name.localeCompare(b.name))
  if (!children.length) return null
  return (
    <ul className="tree">
      {children.map((c) => (
        <li key={c.id}>
          <button
            type="button"
            className={current === c.id ? 'side-item active' : 'side-item'}
            style={{ paddingLeft: 8 + depth * 14 }}
            aria-current={current === c.id ? 'true' : undefined}
            onClick={() => useLibrary.getState().patchFilters({ collectionId: current === c.id ? undefined : c.id })}
          >
            <span className="side-label">{c.name}</span>
            <span className="muted small">{c.count}</span>
          </button>
          <CollectionTree items={items} parentId={c.id} depth={depth + 1} />
        </li>
      ))}
    </ul>
  )
}

export function LibrarySidebar() {
  const { collections, tags, savedSearches, stats, filters, view, textJobs } = useLibrary()
  const dupGroups = useDuplicates((s) => s.groups)
  const st = useLibrary.getState()
  const allActive = view === 'papers' && !filters.collectionId && !filters.tags?.length && !filters.statuses?.length
  const textFailed = stats?.textFailed ?? 0
  // The library-wide run has no ids; while one is on its way, a second click would only return the same job.
  const extractingAll = [...textJobs.values()].some((ids) => ids === undefined)
  return (
    <aside className="lib-side" aria-label="Library sections" data-testid="library-sidebar">
      <button type="button" className={allActive ? 'side-item active' : 'side-item'} aria-current={allActive ? 'true' : undefined} onClick={() => st.setFilters({})}>
        <span className="side-label">All papers</span>
        <span className="muted small">{stats?.papers ?? ''}</span>
      </button>
      <button
        type="button"
        className={view === 'duplicates' ? 'side-item active' : 'side-item'}
        aria-current={view === 'duplicates' ? 'true' : undefined}
        onClick={() => st.setView('duplicates')}
        data-testid="side-duplicates"
      >
        <span className="side-label">Duplicates</span>
        {dupGroups && dupGroups.length > 0 && (
          <span className="side-badge" data-testid="duplicates-count" aria-label={`${dupGroups.length} group${dupGroups.length === 1 ? '' : 's'}`}>
            {dupGroups.length > 999 ? '999+' : dupGroups.length}
          </span>
        )}
      </button>
      {textFailed > 0 && (
        <div className="side-notice small" data-testid="text-failed">
          <span>
            {textFailed} PDF{textFailed === 1 ? '' : 's'} without text
          </span>
          <button type="button" className="link small" onClick={() => void st.reextractText()} disabled={extractingAll} data-testid="reextract-all">
            {extractingAll ? 'Extracting…' : 'Re-extract'}
          </button>
        </div>
      )}
      <h3>Reading status</h3>
      {READING_STATUSES.map((s) => {
        const on = filters.statuses?.length === 1 && filters.statuses[0] === s
        return (
          <button key={s} type="button" className={on ? 'side-item active' : 'side-item'} onClick={() => st.patchFilters({ statuses: on ? undefined : [s] })} data-testid={`side-status-${s}`}>
            <span className="side-label">{s[0].toUpperCase() + s.slice(1)}</span>
            <span className="muted small">{stats?.byStatus[s] ?? ''}</span>
          </button>
        )
      })}
      <h3>Collections</h3>
      {collections.length ? <CollectionTree items={collections} parentId={null} depth={0} /> : <p className="muted small side-empty">No collections yet.</p>}
      <h3>Saved searches</h3>
      {savedSearches.length ? (
        <ul className="tree">
          {savedSearches.map((s) => (
            <li key={s.id} className="saved">
              <button type="button" className="side-item" onClick={() => st.applySaved(s)} title={s.query}>
                <span className="side-label">{s.name}</span>
              </button>
              <button type="button" className="link small" aria-label={`Delete saved search ${s.name}`} onClick={() => st.deleteSaved(s.id)}>
                ×
              </button>
            </li>
          ))}
        </ul>
      ) : (
        <p className="muted small side-empty">Save a search to find it here.</p>
      )}
      <h3>Tags</h3>
      {tags.length ? (
        <div className="tag-cloud">
          {tags.slice(0, 300).map((t) => {
            const on = filters.tags?.includes(t.name) ?? false
            return (
              <button
                key={t.id}
                type="button"
                className={on ? 'tag on' : 'tag'}
                aria-pressed={on}
                style={t.color ? { borderColor: t.color } : undefined}
                onClick={() => st.patchFilters({ tags: on ? filters.tags!.filter((x) => x !== t.name) : [...(filters.tags ?? []), t.name] })}
              >
                {t.name} <span className="muted small">{t.count}</span>
              </button>
            )
          })}
        </div>
      ) : (
        <p className="muted small side-empty">No tags yet.</p>
      )}
    </aside>
  )
}
