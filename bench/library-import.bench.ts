/**
 * BibTeX import of 10,000 generated entries (realistic: TeX accents, protected words, page ranges,
 * abstracts, keywords, unknown fields) through the real import path: parse → duplicate checks → one
 * transaction. Target ≤ 5 s. Run: npx tsx bench/library-import.bench.ts [--quick]
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { cpus, tmpdir } from 'node:os'
import { join } from 'node:path'
import { openDatabase } from '../src/main/db/connection'
import { EventBus } from '../src/main/events'
import { createLogger } from '../src/main/logger'
import { LibraryService } from '../src/main/library/service'
import { generateBibtex } from './fixtures/generate-library'

async function main() {
  const quick = process.argv.includes('--quick')
  const n = quick ? 2000 : 10_000
  const runs = quick ? 1 : 3
  const bib = generateBibtex(n)
  const results: { ms: number; added: number; parseMs: number }[] = []
  for (let run = 0; run < runs; run++) {
    const dir = mkdtempSync(join(tmpdir(), 'spm-bench-lib-'))
    try {
      const file = join(dir, 'refs.bib')
      writeFileSync(file, bib)
      const db = openDatabase(join(dir, 'library.sqlite'))
      const library = new LibraryService({ sqlite: db.sqlite, events: new EventBus(), logger: createLogger({ dir, console: false }), dataDir: dir })
      const t0 = performance.now()
      const started = await library.importFile({ path: file })
      const ms = performance.now() - t0
      const report = started.report!
      if (report.added !== n) throw new Error(`expected ${n} added, got ${report.added} (failed ${report.failed}, duplicates ${report.duplicates})`)
      results.push({ ms, added: report.added, parseMs: 0 })
      db.close()
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  }
  const sorted = results.map((r) => r.ms).sort((a, b) => a - b)
  const median = sorted[Math.floor(sorted.length / 2)]
  console.log(`machine: ${cpus()[0]?.model ?? '?'} × ${cpus().length}, node ${process.version}`)
  console.log(`BibTeX import of ${n} entries (${(bib.length / 1e6).toFixed(1)} MB), ${runs} run(s): median ${Math.round(median)} ms, min ${Math.round(sorted[0])} ms, max ${Math.round(sorted[sorted.length - 1])} ms`)
  console.log(`target ≤ 5000 ms for 10,000 entries: ${!quick && median <= 5000 ? 'PASS' : quick ? '(quick run)' : 'FAIL'}`)
}

void main()
