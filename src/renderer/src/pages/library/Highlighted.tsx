import { splitHighlights } from '../../../../shared/constants'

/** Renders a string with HL_START/HL_END markers as text and <mark> nodes (never as HTML). */
export function Highlighted({ text }: { text: string }) {
  return (
    <>
      {splitHighlights(text).map((p, i) => (p.hit ? <mark key={i}>{p.text}</mark> : <span key={i}>{p.text}</span>))}
    </>
  )
}

export function Stars({ value, onChange, label }: { value: number | null; onChange?: (v: number | null) => void; label?: string }) {
  if (!onChange)
    return (
      <span className="stars" aria-label={value ? `${value} of 5 stars` : 'unrated'}>
        {value ? '★'.repeat(value) : ''}
        <span className="stars-empty">{'★'.repeat(5 - (value ?? 0))}</span>
      </span>
    )
  return (
    <span className="stars editable" role="radiogroup" aria-label={label ?? 'Rating'}>
      {[1, 2, 3, 4, 5].map((n) => (
        <button
          key={n}
          type="button"
          role="radio"
          aria-checked={value === n}
          aria-label={`${n} star${n > 1 ? 's' : ''}`}
          className={value !== null && n <= value ? 'star on' : 'star'}
          onClick={() => onChange(value === n ? null : n)}
        >
          ★
        </button>
      ))}
    </span>
  )
}
