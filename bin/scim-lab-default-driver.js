#!/usr/bin/env node
'use strict';
// The built-in default driver of `scim-lab conformance` (driver protocol v1, docs/driver-protocol.md): it steers the
// mock PingOne named by the SCIM_LAB_PINGONE_* variables. Compiled into dist/ by `npm run build`.
require('../dist/suites/driver/default-driver.js')
  .main()
  .then((code) => process.stdout.write('', () => process.exit(code)));
