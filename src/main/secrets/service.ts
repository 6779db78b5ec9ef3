import {
  PROVIDER_LABELS,
  PROVIDERS,
  type Provider,
  type ProviderKeyInfo,
  type SecretStoreStatus,
} from '../../shared/contract'
import { AppError } from '../../shared/errors'
import type { EventBus } from '../events'
import type { Logger } from '../logger'
import type { SettingsService } from '../settings/service'
import { KeytarSecretStore } from './keytar-store'
import type { SecretStore } from './store'

const DESCRIPTIONS: Record<SecretStore['kind'], string> = {
  keychain: 'API keys are stored in your operating system keychain.',
  'safe-storage': 'API keys are encrypted with your operating system user key (Electron safeStorage) in the app data folder.',
  'encrypted-file': 'API keys are stored in an AES-256-GCM encrypted file in the app data folder (key derived with scrypt).',
}

export function maskKey(key: string): string {
  if (key.length < 12) return `…${key.slice(-2)}`
  return `${key.slice(0, 3)}…${key.slice(-4)}`
}

const account = (p: Provider) => `provider:${p}`

/** Picks the OS keychain when it answers, the platform's fallback otherwise, and owns provider API keys. */
export class SecretsService {
  private constructor(
    private readonly store: SecretStore,
    private readonly fallbackReason: string | null,
    private readonly settings: SettingsService,
    private readonly events: EventBus,
    private readonly now: () => number,
  ) {}

  static async create(deps: {
    keychainService: string
    /** false to skip the keychain entirely (e.g. SPM_DISABLE_KEYCHAIN=1). */
    useKeychain: boolean
    fallback: () => SecretStore
    settings: SettingsService
    events: EventBus
    logger: Logger
    now?: () => number
  }): Promise<SecretsService> {
    let store: SecretStore | null = null
    let reason: string | null = null
    if (deps.useKeychain) {
      try {
        const keytar = await KeytarSecretStore.load(deps.keychainService)
        await keytar.probe()
        store = keytar
      } catch (err) {
        reason = `OS keychain unavailable: ${(err as Error).message.split('\n')[0]}`
      }
    } else {
      reason = 'OS keychain disabled by configuration'
    }
    if (!store) {
      store = deps.fallback()
      deps.logger.warn('using fallback secret store', { store: store.kind, reason })
    }
    return new SecretsService(store, reason, deps.settings, deps.events, deps.now ?? Date.now)
  }

  get kind() {
    return this.store.kind
  }

  status(): SecretStoreStatus {
    return { kind: this.store.kind, description: DESCRIPTIONS[this.store.kind], fallbackReason: this.fallbackReason }
  }

  probe(): Promise<void> {
    return this.store.probe()
  }

  /** For services that call providers; never exposed on a channel. */
  async getApiKey(provider: Provider): Promise<string | null> {
    return this.read(provider)
  }

  private async read(provider: Provider): Promise<string | null> {
    try {
      return await this.store.get(account(provider))
    } catch (err) {
      throw new AppError('UNAVAILABLE', `The secret store could not be read: ${(err as Error).message.split('\n')[0]}`)
    }
  }

  async info(provider: Provider): Promise<ProviderKeyInfo> {
    const key = await this.read(provider)
    const meta = this.settings.get<{ updatedAt: number }>(`secrets.meta.${provider}`)
    return {
      provider,
      label: PROVIDER_LABELS[provider],
      hasKey: key !== null,
      masked: key === null ? null : maskKey(key),
      updatedAt: key === null ? null : (meta?.updatedAt ?? null),
      baseUrl: provider === 'openai_compatible' ? (this.settings.get<string>('providers.openai_compatible.baseUrl') ?? null) : null,
    }
  }

  list(): Promise<ProviderKeyInfo[]> {
    return Promise.all(PROVIDERS.map((p) => this.info(p)))
  }

  async set(provider: Provider, key: string, baseUrl?: string): Promise<ProviderKeyInfo> {
    if (baseUrl !== undefined && provider !== 'openai_compatible')
      throw new AppError('VALIDATION', `A base URL only applies to the OpenAI-compatible provider, not ${PROVIDER_LABELS[provider]}`)
    try {
      await this.store.set(account(provider), key)
    } catch (err) {
      throw new AppError('UNAVAILABLE', `The API key could not be saved: ${(err as Error).message.split('\n')[0]}`)
    }
    this.settings.set(`secrets.meta.${provider}`, { updatedAt: this.now() })
    if (baseUrl !== undefined) this.settings.set('providers.openai_compatible.baseUrl', baseUrl)
    this.events.emit('secrets.changed', { provider })
    return this.info(provider)
  }

  async setBaseUrl(baseUrl: string): Promise<ProviderKeyInfo> {
    this.settings.set('providers.openai_compatible.baseUrl', baseUrl)
    this.events.emit('secrets.changed', { provider: 'openai_compatible' })
    return this.info('openai_compatible')
  }

  async delete(provider: Provider): Promise<ProviderKeyInfo> {
    try {
      await this.store.delete(account(provider))
    } catch (err) {
      throw new AppError('UNAVAILABLE', `The API key could not be deleted: ${(err as Error).message.split('\n')[0]}`)
    }
    this.settings.delete(`secrets.meta.${provider}`)
    this.events.emit('secrets.changed', { provider })
    return this.info(provider)
  }
}
