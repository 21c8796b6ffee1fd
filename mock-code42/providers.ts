import { randomBytes, randomUUID } from 'node:crypto';

/** "Add SCIM provider" in the Code42 console (seed, behavior-notes §1): each provider gets its own token. */
export interface Provider {
  id: string;
  name: string;
  token: string;
  createdAt: string;
  revokedAt?: string;
}

export function newToken(): string {
  return randomBytes(24).toString('hex'); // hex: a generated token never starts with '-', which argv parsers read as an option
}

export function createProviders(now: () => Date) {
  let providers: Provider[] = [];
  return {
    add(name: string, token: string = newToken()): Provider {
      const provider: Provider = { id: randomUUID(), name, token, createdAt: now().toISOString() };
      providers.push(provider);
      return provider;
    },
    list(): Provider[] {
      return providers.map((p) => ({ ...p }));
    },
    get(id: string): Provider | undefined {
      return providers.find((p) => p.id === id);
    },
    /** Revoking keeps the record (for the journal's sake) but its token stops working. */
    revoke(id: string): Provider | undefined {
      const provider = providers.find((p) => p.id === id && !p.revokedAt);
      if (provider) provider.revokedAt = now().toISOString();
      return provider;
    },
    activeTokens(): string[] {
      return providers.filter((p) => !p.revokedAt).map((p) => p.token);
    },
    byToken(token: string): Provider | undefined {
      return providers.find((p) => !p.revokedAt && p.token === token);
    },
    export(): Provider[] {
      return providers.map((p) => ({ ...p }));
    },
    import(list: Provider[]): void {
      providers = list.map((p) => ({ ...p }));
    },
  };
}

export type Providers = ReturnType<typeof createProviders>;
