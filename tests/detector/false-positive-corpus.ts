/**
 * Real prose nobody wrote for these tests, read from the machine at test time (Debian 12 paths).
 *
 * Sources (in this order, each sorted by path, de-duplicated by content):
 *  1. /usr/share/common-licenses/*                         (base-files: always present)
 *  2. /usr/share/doc/*\/copyright                           (every installed package)
 *  3. /usr/share/man/man{1,5,7,8}/*.gz                      (manual pages, roff source)
 *  4. /usr/share/man/{ko,ja,zh_CN,zh_TW}/man{1,5,8}/*.gz    (CJK manual pages: passwd, login, man-db, psmisc, xz-utils)
 *  5. /usr/share/locale/{ko,ja,zh_CN,zh_TW}/LC_MESSAGES/*.mo (translated UI strings: glib, gtk, gnome-keyring, coreutils, ...)
 *  6. /usr/share/doc/*\/changelog.Debian.gz                (number-dense prose: versions, dates, bug numbers)
 * Each source is capped so the corpus stays a few MB and the test fast.
 */
import { createHash } from 'node:crypto'
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { gunzipSync } from 'node:zlib'

export interface CorpusPart {
  source: string
  lang: 'en' | 'cjk'
  files: number
  text: string
}

function listDir(dir: string): string[] {
  try {
    return readdirSync(dir).sort()
  } catch {
    return []
  }
}

function readMaybeGz(path: string): string {
  const buf = readFileSync(path)
  const raw = path.endsWith('.gz') ? gunzipSync(buf) : buf
  return raw.toString('utf8')
}

/** msgstr strings of a GNU .mo catalogue. */
export function moStrings(buf: Buffer): string[] {
  if (buf.length < 28) return []
  const magic = buf.readUInt32LE(0)
  const le = magic === 0x950412de
  if (!le && buf.readUInt32BE(0) !== 0x950412de) return []
  const u32 = (o: number): number => (le ? buf.readUInt32LE(o) : buf.readUInt32BE(o))
  const n = u32(8)
  const tOff = u32(16)
  const out: string[] = []
  for (let i = 0; i < n; i++) {
    const len = u32(tOff + i * 8)
    const off = u32(tOff + i * 8 + 4)
    if (off + len > buf.length) break
    const s = buf.subarray(off, off + len).toString('utf8')
    if (i === 0 && s.includes('Content-Type:')) continue // header entry
    out.push(s.replace(/\0/g, '\n'))
  }
  return out
}

function collect(source: string, lang: 'en' | 'cjk', paths: string[], cap: number, seen: Set<string>, reader: (p: string) => string): CorpusPart {
  let text = ''
  let files = 0
  for (const p of paths) {
    if (text.length >= cap) break
    let t: string
    try {
      if (!statSync(p).isFile()) continue
      t = reader(p)
    } catch {
      continue
    }
    const h = createHash('sha1').update(t).digest('hex')
    if (seen.has(h)) continue
    seen.add(h)
    text += t + '\n\n'
    files++
  }
  return { source, lang, files, text }
}

const MB = 1024 * 1024

export function buildCorpus(): CorpusPart[] {
  const seen = new Set<string>()
  const parts: CorpusPart[] = []
  const lic = '/usr/share/common-licenses'
  parts.push(collect('common-licenses', 'en', listDir(lic).map((f) => join(lic, f)), 4 * MB, seen, readMaybeGz))
  const docs = listDir('/usr/share/doc')
    .map((d) => join('/usr/share/doc', d, 'copyright'))
    .filter((p) => existsSync(p))
  parts.push(collect('doc-copyright', 'en', docs, 3 * MB, seen, readMaybeGz))
  const man: string[] = []
  for (const sec of ['man1', 'man5', 'man7', 'man8']) {
    const d = join('/usr/share/man', sec)
    for (const f of listDir(d)) if (f.endsWith('.gz')) man.push(join(d, f))
  }
  parts.push(collect('man-en', 'en', man, 3 * MB, seen, readMaybeGz))
  const cjkMan: string[] = []
  for (const lang of ['ko', 'ja', 'zh_CN', 'zh_TW']) {
    for (const sec of ['man1', 'man5', 'man8']) {
      const d = join('/usr/share/man', lang, sec)
      for (const f of listDir(d)) if (f.endsWith('.gz')) cjkMan.push(join(d, f))
    }
  }
  parts.push(collect('man-cjk', 'cjk', cjkMan, 2 * MB, seen, readMaybeGz))
  const mo: string[] = []
  for (const lang of ['ko', 'ja', 'zh_CN', 'zh_TW']) {
    const d = join('/usr/share/locale', lang, 'LC_MESSAGES')
    for (const f of listDir(d)) if (f.endsWith('.mo')) mo.push(join(d, f))
  }
  parts.push(collect('locale-mo-cjk', 'cjk', mo, 4 * MB, seen, (p) => moStrings(readFileSync(p)).join('\n')))
  const changelogs = listDir('/usr/share/doc')
    .map((d) => join('/usr/share/doc', d, 'changelog.Debian.gz'))
    .filter((p) => existsSync(p))
  parts.push(collect('debian-changelogs', 'en', changelogs, 3 * MB, seen, readMaybeGz))
  return parts
}
