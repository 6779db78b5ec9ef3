import type { SecretStore } from './store'

type Keytar = typeof import('keytar')

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms)
    p.then(
      (v) => (clearTimeout(t), resolve(v)),
      (e) => (clearTimeout(t), reject(e)),
    )
  })
}

/** The OS keychain (macOS Keychain, Windows Credential Vault, Secret Service on Linux) through keytar. */
export class KeytarSecretStore implements SecretStore {
  readonly kind = 'keychain' as const
  private constructor(
    private readonly keytar: Keytar,
    private readonly service: string,
    private readonly timeoutMs: number,
  ) {}

  /** Loads the native module; throws a readable reason if it is missing or failed to build. */
  static async load(service: string, timeoutMs = 3000): Promise<KeytarSecretStore> {
    let mod: Keytar
    try {
      const imported = (await import('keytar')) as Keytar & { default?: Keytar }
      mod = imported.default ?? imported
    } catch (err) {
      throw new Error(`the keytar native module could not be loaded (${(err as Error).message.split('\n')[0]})`)
    }
    return new KeytarSecretStore(mod, service, timeoutMs)
  }

  probe(): Promise<void> {
    return withTimeout(this.keytar.findCredentials(this.service), this.timeoutMs, 'The OS keychain').then(() => undefined)
  }
  get(account: string) {
    return withTimeout(this.keytar.getPassword(this.service, account), this.timeoutMs, 'The OS keychain')
  }
  set(account: string, value: string) {
    return withTimeout(this.keytar.setPassword(this.service, account, value), this.timeoutMs, 'The OS keychain')
  }
  delete(account: string) {
    return withTimeout(this.keytar.deletePassword(this.service, account), this.timeoutMs, 'The OS keychain')
  }
}
