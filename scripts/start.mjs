// `npm start`: build, then launch Electron when its binary exists, otherwise browser mode.
import { spawn, spawnSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const require = createRequire(import.meta.url)

function electronBinary() {
  // Reading path.txt directly: require('electron') would try to download the binary.
  try {
    const dir = dirname(require.resolve('electron/package.json', { paths: [root] }))
    const rel = readFileSync(join(dir, 'path.txt'), 'utf8').trim()
    const bin = join(dir, 'dist', rel)
    return existsSync(bin) ? bin : null
  } catch {
    return null
  }
}

const build = spawnSync(process.execPath, [join(root, 'node_modules/electron-vite/bin/electron-vite.js'), 'build'], {
  cwd: root,
  stdio: ['ignore', 'ignore', 'inherit'],
})
if (build.status !== 0) process.exit(build.status ?? 1)

const bin = process.env.SPM_BROWSER_MODE === '1' ? null : electronBinary()
const child = bin
  ? spawn(bin, [root], { stdio: 'inherit', cwd: root })
  : (console.log('Electron is not available on this machine; starting browser mode instead.'),
    spawn(process.execPath, [join(root, 'out/main/web.js')], { stdio: 'inherit', cwd: root }))
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig))
child.on('exit', (code) => process.exit(code ?? 0))
