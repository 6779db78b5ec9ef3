import { useEffect, useState } from 'react'
import type { ProviderKeyInfo } from '../../../shared/contract'
import { useApp, type ThemePref } from '../stores/app'
import { useSecrets } from '../stores/secrets'

function ProviderRow({ info }: { info: ProviderKeyInfo }) {
  const { save, saveBaseUrl, remove } = useSecrets()
  const [editing, setEditing] = useState(false)
  const [key, setKey] = useState('')
  const [baseUrl, setBaseUrl] = useState(info.baseUrl ?? '')
  const compat = info.provider === 'openai_compatible'

  const submit = async (e: React.FormEvent) => {
    e.preventDefault()
    const ok = await save(info.provider, key, compat && baseUrl ? baseUrl : undefined)
    if (ok) {
      setKey('')
      setEditing(false)
    }
  }

  return (
    <li className="provider" data-testid={`provider-${info.provider}`}>
      <div className="provider-head">
        <div>
          <div className="provider-label">{info.label}</div>
          <div className="muted small">
            {info.hasKey ? (
              <>
                Key <code data-testid="masked-key">{info.masked}</code>
                {info.updatedAt && <> · saved {new Date(info.updatedAt).toLocaleDateString()}</>}
              </>
            ) : (
              'No key stored'
            )}
            {compat && info.baseUrl && <> · {info.baseUrl}</>}
          </div>
        </div>
        <div className="row">
          {!editing && <button onClick={() => setEditing(true)}>{info.hasKey ? 'Replace' : 'Add key'}</button>}
          {info.hasKey && !editing && (
            <button className="danger" onClick={() => remove(info.provider)}>
              Delete
            </button>
          )}
        </div>
      </div>
      {editing && (
        <form className="provider-form" onSubmit={submit}>
          {compat && (
            <label>
              Base URL
              <input type="url" required placeholder="http://localhost:11434/v1" value={baseUrl} onChange={(e) => setBaseUrl(e.target.value)} />
            </label>
          )}
          <label>
            API key
            <input
              type="password"
              autoComplete="off"
              spellCheck={false}
              required
              autoFocus
              placeholder="Paste the key"
              value={key}
              onChange={(e) => setKey(e.target.value)}
            />
          </label>
          <div className="row">
            <button type="submit" className="primary" disabled={key.trim().length === 0}>
              Save
            </button>
            <button type="button" onClick={() => (setEditing(false), setKey(''))}>
              Cancel
            </button>
            {compat && info.hasKey && (
              <button type="button" onClick={() => saveBaseUrl(baseUrl)}>
                Save base URL only
              </button>
            )}
          </div>
        </form>
      )}
    </li>
  )
}

export function SettingsPage() {
  const { status, providers, load } = useSecrets()
  const { theme, setTheme, info } = useApp()
  useEffect(() => {
    void load()
  }, [load])
  return (
    <section className="page" aria-labelledby="page-title">
      <header className="page-header">
        <h1 id="page-title">Settings</h1>
      </header>

      <h2>AI provider API keys</h2>
      {status && (
        <p className={status.kind === 'keychain' ? 'note' : 'note warn'} data-testid="secret-store">
          {status.description}
          {status.fallbackReason && <span className="muted"> ({status.fallbackReason})</span>}
        </p>
      )}
      <ul className="providers">
        {providers.map((p) => (
          <ProviderRow key={p.provider} info={p} />
        ))}
      </ul>

      <h2>Appearance</h2>
      <div className="row" role="radiogroup" aria-label="Theme">
        {(['system', 'light', 'dark'] as ThemePref[]).map((t) => (
          <label key={t} className="toggle">
            <input type="radio" name="theme" checked={theme === t} onChange={() => setTheme(t)} />
            {t === 'system' ? 'Follow the system' : t === 'light' ? 'Light' : 'Dark'}
          </label>
        ))}
      </div>

      {info && (
        <>
          <h2>About</h2>
          <p className="muted small">
            {info.name} {info.version} · {info.mode === 'browser' ? 'browser mode' : 'desktop'} · data folder <code>{info.dataDir}</code>
          </p>
        </>
      )}
    </section>
  )
}
