import { forwardRef, useState } from 'react'
import { useLibrary } from '../../stores/library'

const HELP: [string, string][] = [
  ['deep learning', 'both words (any field)'],
  ['learn*', 'words starting with “learn”'],
  ['"neural network"', 'the exact phrase'],
  ['cats OR dogs', 'either word'],
  ['NOT survey  /  -survey', 'exclude a word'],
  ['author:smith', 'author name'],
  ['tag:ml  journal:nature', 'tag, journal or proceedings'],
  ['title:  abstract:  notes:  text:', 'one field; text: searches PDF text'],
  ['year:2019..2023  year:>=2015', 'publication year'],
  ['rating:>=4  rating:none', 'your rating'],
  ['status:unread|reading|completed', 'reading status'],
  ['深層学習  대학', 'any 2+ characters of Korean, Japanese, Chinese'],
]

export const SearchBox = forwardRef<HTMLInputElement, { onEnterList: () => void }>(function SearchBox({ onEnterList }, ref) {
  const q = useLibrary((s) => s.q)
  const suggestions = useLibrary((s) => s.suggestions)
  const error = useLibrary((s) => s.error)
  const [open, setOpen] = useState(false)
  const [active, setActive] = useState(-1)
  const [help, setHelp] = useState(false)

  const change = (v: string) => {
    useLibrary.getState().setQuery(v)
    void useLibrary.getState().suggest(v)
    setOpen(true)
    setActive(-1)
  }
  const pick = (i: number) => {
    const s = suggestions[i]
    if (!s) return
    useLibrary.getState().setQuery(s.query)
    void useLibrary.getState().run()
    useLibrary.setState({ suggestions: [] })
    setOpen(false)
  }
  const showList = open && suggestions.length > 0

  return (
    <div className="searchbox">
      <div className="searchbox-row">
        <input
          ref={ref}
          type="search"
          role="combobox"
          aria-label="Search the library"
          aria-expanded={showList}
          aria-controls="search-suggestions"
          aria-activedescendant={active >= 0 ? `sugg-${active}` : undefined}
          aria-invalid={!!error}
          placeholder='Search… e.g. author:smith "deep learning" year:2019..2023   ( / )'
          value={q}
          data-testid="search-input"
          onChange={(e) => change(e.target.value)}
          onFocus={() => setOpen(true)}
          onBlur={() => setTimeout(() => setOpen(false), 150)}
          onKeyDown={(e) => {
            if (e.key === 'ArrowDown') {
              e.preventDefault()
              if (showList && active < suggestions.length - 1) setActive(active + 1)
              else if (!showList) onEnterList()
            } else if (e.key === 'ArrowUp' && showList) {
              e.preventDefault()
              setActive(Math.max(-1, active - 1))
            } else if (e.key === 'Enter') {
              e.preventDefault()
              if (showList && active >= 0) pick(active)
              else {
                setOpen(false)
                void useLibrary.getState().run()
              }
            } else if (e.key === 'Escape') {
              if (showList) setOpen(false)
              else if (q) change('')
            }
          }}
        />
        <button type="button" className="link" aria-expanded={help} onClick={() => setHelp(!help)} data-testid="syntax-help-toggle">
          Syntax
        </button>
      </div>
      {showList && (
        <ul className="suggestions" role="listbox" id="search-suggestions" data-testid="suggestions">
          {suggestions.map((s, i) => (
            <li
              key={`${s.kind}-${s.label}`}
              id={`sugg-${i}`}
              role="option"
              aria-selected={i === active}
              className={i === active ? 'active' : ''}
              onMouseDown={(e) => {
                e.preventDefault()
                pick(i)
              }}
            >
              <span className={`sugg-kind kind-${s.kind}`}>{s.kind}</span>
              <span className="sugg-label">{s.label}</span>
              {s.count !== null && <span className="muted small">{s.count}</span>}
            </li>
          ))}
        </ul>
      )}
      {error && (
        <p className="query-error" role="alert" data-testid="query-error">
          {error.message}
        </p>
      )}
      {help && (
        <div className="syntax-help" data-testid="syntax-help">
          <table>
            <tbody>
              {HELP.map(([k, v]) => (
                <tr key={k}>
                  <td>
                    <code>{k}</code>
                  </td>
                  <td>{v}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <p className="muted small">Words next to each other must all match; OR binds tighter (a OR b c = (a OR b) c). Use parentheses to group.</p>
        </div>
      )}
    </div>
  )
})
