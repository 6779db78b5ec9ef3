import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { App } from './App'
import { applyTheme, useApp } from './stores/app'
import { useLibrary } from './stores/library'
import { useNav } from './stores/nav'
import './styles.css'

applyTheme(useApp.getState().theme)
// Boot data is asked for before the first render (in browser mode index.html already sent the same calls), so
// when the answers are in, React's first render is the finished Library rather than "Loading…" and two more passes.
void useApp
  .getState()
  .load()
  .then(() => {
    const { info } = useApp.getState()
    const page = useNav.getState().page
    if (info && !info.fatal && (page === 'library' || page === 'search')) useLibrary.getState().ensureLoaded()
  })
createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
)
