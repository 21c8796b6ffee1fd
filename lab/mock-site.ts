import type { RequestListener } from 'node:http';
import type { Express } from 'express';
import { createAdminSurface, type AdminOptions } from './admin';
import { expressShell } from './express-shell';
import type { Surface } from './http-core';
import { nodeShell } from './node-shell';
import { createPipeline } from './pipeline';

// A mock's surfaces, assembled the same way for both mocks: the admin surface at /__admin (never journaled), the
// mock's own surfaces, and a last surface that answers everything else (journaled, like the mock's own). Both shells
// serve them through one pipeline.

/** The HTTP shells a mock can be served by (docs/performance.md): node:http with find-my-way, or express. */
export type ShellName = 'node' | 'express';
export const SHELLS: readonly ShellName[] = ['node', 'express'];

export interface MockSiteOptions {
  /** The admin surface (docs/admin-api.md); its journal, faults and clock are the mock's. */
  admin: AdminOptions;
  /** The mock's base path, after which fault rules match (`/scim/v2`, `/v1`). */
  basePath: string;
  /** The mock's own surfaces. */
  surfaces: Surface[];
  /** How requests no surface takes are answered: the mock's 404 in its own error shape. */
  rest: Pick<Surface, 'notFound' | 'renderError' | 'contentType'>;
  /** Response bytes the journal keeps per exchange. */
  maxBodyBytes?: number;
}

export interface MockSite {
  /** The express shell, built on first use (for users who mount the mock in their own express app). */
  readonly app: Express;
  /** The request listener of a shell. */
  listener(shell: ShellName): RequestListener;
}

export function createMockSite(options: MockSiteOptions): MockSite {
  const { admin } = options;
  const surfaces: Surface[] = [
    createAdminSurface(admin),
    ...options.surfaces,
    { ...pick(options.rest), prefix: '', routes: [], journaled: true },
  ];
  const pipeline = createPipeline({
    journal: { journal: admin.journal, now: () => admin.clock.now(), maxBodyBytes: options.maxBodyBytes },
    faults: { faults: admin.faults, basePath: options.basePath },
  });
  let app: Express | undefined;
  let node: RequestListener | undefined;
  return {
    get app() {
      return (app ??= expressShell(surfaces, pipeline));
    },
    listener(shell) {
      if (shell === 'express') return this.app;
      return (node ??= nodeShell(surfaces, pipeline));
    },
  };
}

function pick({ notFound, renderError, contentType }: MockSiteOptions['rest']): MockSiteOptions['rest'] {
  return { notFound, renderError, contentType };
}
