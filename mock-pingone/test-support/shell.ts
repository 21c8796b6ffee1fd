import type { RequestListener } from 'node:http';
import type { ShellName } from '../../lab/mock-site';
import type { PingOne } from '../index';

/**
 * The shell these tests serve the mock PingOne through: node:http by default; jest.config.js runs the same suites a
 * second time with SCIM_LAB_TEST_SHELL=express (its "express shell" project), so that neither shell can drift.
 */
export const TEST_SHELL: ShellName = process.env.SCIM_LAB_TEST_SHELL === 'express' ? 'express' : 'node';

/** The request listener of the shell under test. */
export const appOf = (p1: PingOne): RequestListener => p1.listener(TEST_SHELL);
