import type { OptionSpec } from './args';

/**
 * The options both mock commands take (contracts.md §1), written once so that their flags, variables and help stay
 * the same. Each command places them in its own table by name, since the order of a table is the order of --help.
 */
export function commonOptions(defaultPort: number, deviationsOf: 'server' | 'provisioner') {
  return {
    port: {
      type: 'string',
      env: 'SCIM_LAB_PORT',
      help: `port to listen on, 0 = any free port (default ${defaultPort})`,
      valueName: 'N',
    },
    host: { type: 'string', env: 'SCIM_LAB_HOST', help: 'address to listen on (default 127.0.0.1)', valueName: 'HOST' },
    'admin-token': {
      type: 'string',
      env: 'SCIM_LAB_ADMIN_TOKEN',
      help: 'bearer token of /__admin (generated if absent)',
      valueName: 'A',
    },
    deviation: {
      type: 'string',
      multiple: true,
      env: 'SCIM_LAB_DEVIATIONS',
      help: `reproduce a ${deviationsOf} bug (repeatable; see below)`,
      valueName: 'NAME[=VALUE]',
    },
    state: {
      type: 'string',
      env: 'SCIM_LAB_STATE_FILE',
      help: 'load state from FILE at start (if it exists), write it back on shutdown',
      valueName: 'FILE',
    },
    json: { type: 'boolean', help: 'print one JSON line on stdout once ready' },
    help: { type: 'boolean', help: 'show this help' },
  } satisfies Record<string, OptionSpec>;
}
