import { z } from 'zod'
import { channel } from './define'

export const PROVIDERS = ['openai', 'anthropic', 'gemini', 'xai', 'openai_compatible'] as const
export const ProviderSchema = z.enum(PROVIDERS)
export type Provider = z.infer<typeof ProviderSchema>

export const PROVIDER_LABELS: Record<Provider, string> = {
  openai: 'OpenAI',
  anthropic: 'Anthropic',
  gemini: 'Google Gemini',
  xai: 'xAI',
  openai_compatible: 'OpenAI-compatible server',
}

export type SecretStoreKind = 'keychain' | 'safe-storage' | 'encrypted-file'

export interface SecretStoreStatus {
  kind: SecretStoreKind
  /** Human-readable, shown in Settings: which store holds the keys and why. */
  description: string
  /** Why the OS keychain is not used, when it is not. */
  fallbackReason: string | null
}

export interface ProviderKeyInfo {
  provider: Provider
  label: string
  hasKey: boolean
  /** e.g. "sk-…wxyz"; never the full key. */
  masked: string | null
  updatedAt: number | null
  /** Only for openai_compatible. */
  baseUrl: string | null
}

const HttpUrl = z
  .string()
  .trim()
  .max(2048)
  .refine((s) => {
    try {
      const u = new URL(s)
      return u.protocol === 'http:' || u.protocol === 'https:'
    } catch {
      return false
    }
  }, 'must be an http(s) URL')

export const secretsChannels = {
  'secrets.status': channel<SecretStoreStatus>()(z.undefined()),
  'secrets.list': channel<ProviderKeyInfo[]>()(z.undefined()),
  'secrets.set': channel<ProviderKeyInfo>()(
    z.strictObject({
      provider: ProviderSchema,
      key: z
        .string()
        .trim()
        .min(8, 'API key looks too short')
        .max(4096)
        .regex(/^[\x21-\x7e]+$/, 'API key must be printable ASCII without spaces'),
      baseUrl: HttpUrl.optional(),
    }),
  ),
  'secrets.setBaseUrl': channel<ProviderKeyInfo>()(
    z.strictObject({ provider: z.literal('openai_compatible'), baseUrl: HttpUrl }),
  ),
  'secrets.delete': channel<ProviderKeyInfo>()(z.strictObject({ provider: ProviderSchema })),
}

export const secretsEvents = {
  'secrets.changed': z.strictObject({ provider: ProviderSchema }),
}
