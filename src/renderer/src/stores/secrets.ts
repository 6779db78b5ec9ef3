import { create } from 'zustand'
import type { Provider, ProviderKeyInfo, SecretStoreStatus } from '../../../shared/contract'
import { api } from '../api'
import { attempt } from './toasts'

interface SecretsState {
  status: SecretStoreStatus | null
  providers: ProviderKeyInfo[]
  load(): Promise<void>
  save(provider: Provider, key: string, baseUrl?: string): Promise<boolean>
  saveBaseUrl(baseUrl: string): Promise<boolean>
  remove(provider: Provider): Promise<void>
}

export const useSecrets = create<SecretsState>((set, get) => {
  const replace = (info: ProviderKeyInfo) => set({ providers: get().providers.map((p) => (p.provider === info.provider ? info : p)) })
  return {
    status: null,
    providers: [],
    async load() {
      const [status, providers] = await Promise.all([attempt(() => api.invoke('secrets.status')), attempt(() => api.invoke('secrets.list'))])
      set({ status: status ?? null, providers: providers ?? [] })
    },
    async save(provider, key, baseUrl) {
      const info = await attempt(() => api.invoke('secrets.set', { provider, key, baseUrl }), 'API key saved')
      if (info) replace(info)
      return !!info
    },
    async saveBaseUrl(baseUrl) {
      const info = await attempt(() => api.invoke('secrets.setBaseUrl', { provider: 'openai_compatible', baseUrl }), 'Base URL saved')
      if (info) replace(info)
      return !!info
    },
    async remove(provider) {
      const info = await attempt(() => api.invoke('secrets.delete', { provider }), 'API key deleted')
      if (info) replace(info)
    },
  }
})
