import react from '@vitejs/plugin-react'
import { defineConfig } from 'electron-vite'
import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { resolve } from 'node:path'
import type { Plugin } from 'vite'
import pkg from './package.json'

const define = { __APP_VERSION__: JSON.stringify(pkg.version) }

// Everything Node-side ships from out/main: the Electron entry, the browser-mode host, and the detector's
// worker and CLI (which never import electron, so they also run under plain Node).
const mainEntries: Record<string, string> = {
  index: resolve(__dirname, 'src/main/index.ts'),
  web: resolve(__dirname, 'src/main/web/main.ts'),
}
const optionalEntries: Record<string, string> = {
  datadetector: 'src/detector/cli.ts',
  'detector-worker': 'src/detector/worker.ts',
}
for (const [name, file] of Object.entries(optionalEntries)) {
  if (existsSync(resolve(__dirname, file))) mainEntries[name] = resolve(__dirname, file)
}

/**
 * Seeds the detector's registry cache with the built-in pattern files (parsed and schema-checked), so
 * the first start after an install loads them in ~0.1 s instead of parsing YAML for ~0.6 s. It runs
 * the built CLI once with its cache pointed into the output: the same code path fills it as at run time.
 */
function seedDetectorCache(): Plugin {
  let outDir = ''
  return {
    name: 'seed-detector-cache',
    apply: 'build',
    configResolved(config) {
      outDir = resolve(config.root, config.build.outDir)
    },
    closeBundle() {
      const cli = resolve(outDir, 'datadetector.js')
      if (!existsSync(cli)) return
      execFileSync(process.execPath, [cli, 'list-patterns'], {
        env: { ...process.env, SPM_DETECTOR_CACHE_DIR: resolve(outDir, 'detector-cache'), SPM_DETECTOR_NO_CACHE: '' },
        stdio: 'ignore',
      })
    },
  }
}

export default defineConfig({
  main: {
    define,
    plugins: [seedDetectorCache()],
    build: {
      outDir: 'out/main',
      // keytar is an optional native dependency (it needs libsecret to build): load it from node_modules
      // at run time, so a failed build means the fallback secret store, not a broken bundle.
      externalizeDeps: { include: ['keytar'] },
      rollupOptions: { input: mainEntries },
    },
  },
  preload: {
    define,
    build: {
      outDir: 'out/preload',
      // A sandboxed preload cannot require() packages, so zod and the contract are bundled in.
      externalizeDeps: false,
      rollupOptions: { input: { index: resolve(__dirname, 'src/preload/index.ts') }, external: ['electron'] },
    },
  },
  renderer: {
    root: resolve(__dirname, 'src/renderer'),
    define,
    plugins: [react()],
    build: {
      outDir: resolve(__dirname, 'out/renderer'),
      minify: true,
      rollupOptions: { input: resolve(__dirname, 'src/renderer/index.html') },
    },
  },
})
