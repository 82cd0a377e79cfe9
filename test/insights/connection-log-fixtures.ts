/**
 * Client VPN connection log entries in the shape AWS documents
 * (https://docs.aws.amazon.com/vpn/latest/clientvpn-admin/connection-logging.html), from
 * test/fixtures/connection-logs/: a successful attempt, a failed attempt with its reason, a reset, and
 * the successful connection once terminated (end time, duration and byte totals filled in).
 * Addresses are from the documentation ranges (RFC 5737).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import type { ConnectionLogEntry } from '../../insights/connection-log-entry';
import type { WorldLogEvent } from '../../sandbox/loopback-world';

/** The fixtures by name. */
export type FixtureName = 'successful' | 'failed-with-reason' | 'reset' | 'terminated';

/** A fixture entry, with fields overridden. */
export function logEntry(name: FixtureName, overrides: ConnectionLogEntry = {}): ConnectionLogEntry {
  const file = join(__dirname, '..', 'fixtures', 'connection-logs', `${name}.json`);
  return { ...(JSON.parse(readFileSync(file, 'utf8')) as ConnectionLogEntry), ...overrides };
}

/** A log event carrying `entry`, at `at` (ISO time, UTC). */
export function logEvent(entry: ConnectionLogEntry, at: string): WorldLogEvent {
  return { timestamp: Date.parse(at), message: JSON.stringify(entry) };
}
