import type { EC2Client } from '@aws-sdk/client-ec2';
import { loadEc2Module } from './lazy-sdk-modules';
import { boundedPages } from './bounded-pages';

// DescribeClientVpnConnections accepts 5 to 1000 results a page (EC2 API Reference).
const CONNECTIONS_PER_PAGE = 1000;

// `ConnectionEstablishedTime` is a plain string in the EC2 model, written `2026-11-20 09:41:07` in the
// examples of the EC2 API Reference (DescribeClientVpnConnections) and the AWS CLI reference
// (describe-client-vpn-connections). AWS names no time zone; the connection log entries the endpoint
// writes carry the same format, and EC2 timestamps are UTC, so the rule reads it as UTC. A trailing `Z`
// or a `T` separator is accepted too, should the format ever become ISO 8601.
const ESTABLISHED_TIME = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:\.\d+)?Z?$/;

/**
 * Reads a `ConnectionEstablishedTime` as a UTC instant.
 *
 * @param text - the field's value, e.g. `2026-11-20 09:41:07`
 * @returns the instant, or `undefined` when the text is not in that format
 */
export function parseConnectionTime(text: string | undefined): Date | undefined {
  const match = text === undefined ? null : ESTABLISHED_TIME.exec(text.trim());
  if (match === null) return undefined;
  const [year, month, day, hour, minute, second] = match.slice(1).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const time = new Date(Date.UTC(year, month - 1, day, hour, minute, second));
  // Date.UTC rolls 2026-02-31 over into March; a date that rolled is not a date.
  return time.getUTCDate() === day && time.getUTCMonth() === month - 1 ? time : undefined;
}

/**
 * Lists when an endpoint's connections were established, following every page. EC2 lists the active
 * connections and those that ended within the last 60 minutes. An endpoint deleted since it was listed
 * has no connections; an unreadable time is left out (it proves nothing either way).
 *
 * @param ec2 - the EC2 client of the account and region evaluated
 * @param endpointId - the endpoint
 * @returns the establishment times, in the order EC2 listed them
 */
export async function listConnectionTimes(ec2: EC2Client, endpointId: string): Promise<Date[]> {
  const { paginateDescribeClientVpnConnections } = await loadEc2Module();
  const times: Date[] = [];
  try {
    const pages = paginateDescribeClientVpnConnections(
      { client: ec2, pageSize: CONNECTIONS_PER_PAGE },
      { ClientVpnEndpointId: endpointId },
    );
    for await (const page of boundedPages(pages, {
      operation: 'DescribeClientVpnConnections',
      nextTokenOf: (p) => p.NextToken,
    })) {
      for (const connection of page.Connections ?? []) {
        const time = parseConnectionTime(connection.ConnectionEstablishedTime);
        if (time !== undefined) times.push(time);
      }
    }
  } catch (error) {
    if ((error as { name?: unknown }).name === 'InvalidClientVpnEndpointId.NotFound') return [];
    throw error;
  }
  return times;
}
