import type { SecretStoreKind } from '../../shared/contract'

export interface SecretStore {
  readonly kind: SecretStoreKind
  get(account: string): Promise<string | null>
  set(account: string, value: string): Promise<void>
  delete(account: string): Promise<boolean>
  /** Resolves when the store can be used now; rejects with the reason otherwise. */
  probe(): Promise<void>
}
