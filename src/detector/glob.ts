/** Minimal glob → RegExp: `**` (any path, including separators), `*`, `?`, `{a,b}`, `[abc]`. */
export function globToRegExp(glob: string): RegExp {
  let re = ''
  let i = 0
  let brace = 0
  while (i < glob.length) {
    const c = glob[i]
    if (c === '*') {
      if (glob[i + 1] === '*') {
        // "**/" matches zero or more directories
        if (glob[i + 2] === '/') {
          re += '(?:.*/)?'
          i += 3
        } else {
          re += '.*'
          i += 2
        }
        continue
      }
      re += '[^/]*'
    } else if (c === '?') re += '[^/]'
    else if (c === '{') {
      brace++
      re += '(?:'
    } else if (c === '}' && brace > 0) {
      brace--
      re += ')'
    } else if (c === ',' && brace > 0) re += '|'
    else if (c === '[') {
      const end = glob.indexOf(']', i + 1)
      if (end > i + 1) {
        let body = glob.slice(i + 1, end).replace(/\\/g, '\\\\')
        if (body.startsWith('!')) body = '^' + body.slice(1)
        re += `[${body}]`
        i = end + 1
        continue
      }
      re += '\\['
    } else if (c === '\\' && i + 1 < glob.length) {
      re += glob[i + 1].replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&')
      i += 2
      continue
    } else re += c.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&')
    i++
  }
  while (brace-- > 0) re += ')'
  return new RegExp(`^${re}$`)
}

/** Does a relative path (with / separators) match the glob? Globs without "/" also match the base name. */
export function globMatch(glob: string | RegExp, relPath: string, hasSlash?: boolean): boolean {
  const re = typeof glob === 'string' ? globToRegExp(glob) : glob
  if (re.test(relPath)) return true
  const slash = hasSlash ?? (typeof glob === 'string' ? glob.includes('/') : true)
  if (!slash) {
    const base = relPath.slice(relPath.lastIndexOf('/') + 1)
    return re.test(base)
  }
  return false
}
