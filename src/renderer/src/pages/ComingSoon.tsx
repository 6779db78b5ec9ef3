/** Honest placeholder for a feature that is not built yet: says what will be here. */
export function ComingSoon({ title, lines }: { title: string; lines: string[] }) {
  return (
    <section className="page" aria-labelledby="page-title">
      <header className="page-header">
        <h1 id="page-title">{title}</h1>
      </header>
      <div className="empty">
        <p className="empty-title">Not built yet</p>
        <p>This page is coming. It will let you:</p>
        <ul>
          {lines.map((l) => (
            <li key={l}>{l}</li>
          ))}
        </ul>
      </div>
    </section>
  )
}
