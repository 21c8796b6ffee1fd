import { randomBytes, randomUUID } from 'node:crypto';

/** "Add SCIM provider" in the Code42 console (seed, the Code42 entries of docs/sources.md): each provider gets its own token. */
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

/** The SCIM providers of one Code42 tenant and their tokens. */
export interface Providers {
  add(name: string, token?: string): Provider;
  /** Copies, for export and for the admin surface. */
  list(): Provider[];
  get(id: string): Provider | undefined;
  /** Revoking keeps the record (for the journal's sake) but its token stops working. */
  revoke(id: string): Provider | undefined;
  /** The tokens that authenticate now. The same array until a provider is added, revoked or imported. */
  activeTokens(): readonly string[];
  /** Every token ever issued, revoked ones too (the journal redacts them all). The same array until a change. */
  allTokens(): readonly string[];
  byToken(token: string): Provider | undefined;
  import(list: Provider[]): void;
}

export function createProviders(now: () => Date): Providers {
  let providers: Provider[] = [];
  // Read on every request (authentication) and every journal entry (redaction): built once per change, not per call.
  let tokens: { all: readonly string[]; active: readonly string[] } | undefined;
  const tokenLists = () =>
    (tokens ??= {
      all: providers.map((p) => p.token),
      active: providers.filter((p) => !p.revokedAt).map((p) => p.token),
    });
  return {
    add(name: string, token: string = newToken()): Provider {
      const provider: Provider = { id: randomUUID(), name, token, createdAt: now().toISOString() };
      providers.push(provider);
      tokens = undefined;
      return provider;
    },
    /** Copies, for export and for the admin surface. */
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
      tokens = undefined;
      return provider;
    },
    /** The tokens that authenticate now. The same array until a provider is added, revoked or imported. */
    activeTokens(): readonly string[] {
      return tokenLists().active;
    },
    /** Every token ever issued, revoked ones too (the journal redacts them all). The same array until a change. */
    allTokens(): readonly string[] {
      return tokenLists().all;
    },
    byToken(token: string): Provider | undefined {
      return providers.find((p) => !p.revokedAt && p.token === token);
    },
    import(list: Provider[]): void {
      providers = list.map((p) => ({ ...p }));
      tokens = undefined;
    },
  };
}
