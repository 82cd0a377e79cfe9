import type { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import type { EC2Client } from '@aws-sdk/client-ec2';
import type { KMSClient } from '@aws-sdk/client-kms';
import { listConnectionTimes } from './client-vpn-connections';
import { connectionDueInLogs, deliveryToCheck, type IngestionSource, keyToLookUp } from './decision';
import { lookUpKeys } from './key-directory';
import { lastIngestionTime } from './log-stream-ingestion';
import { mapConcurrently } from './bounded-concurrency';
import type { EndpointFacts, KeyLookup, LogGroupLookup, PipelineFacts, RuleParameters } from './types';

/** How many endpoints' connections, or groups' streams, are read at once. */
export const DELIVERY_LOOKUP_CONCURRENCY = 8;

/** The clients the key and delivery checks need, each built only when a check needs it. */
export interface PipelineClients {
  /** Reads log streams. */
  readonly logs: CloudWatchLogsClient;
  /** Reads key states; called only when a judged group has a key and `verifyKmsKeyState` is on. */
  readonly kms: () => Promise<KMSClient>;
  /** Lists connections; called only when `verifyDelivery` is on. */
  readonly ec2: () => Promise<EC2Client>;
}

/** One endpoint to gather pipeline facts for, with what its group's look-up said. */
export interface JudgedEndpoint {
  /** The endpoint. */
  readonly endpoint: EndpointFacts;
  /** Its log group's look-up. */
  readonly logGroup: LogGroupLookup;
}

function sourceKey(source: IngestionSource): string {
  return JSON.stringify([source.logGroupName, source.logStreamName ?? null]);
}

/**
 * Gathers the key states and delivery evidence the parameters ask for, with the fewest calls: each
 * distinct key read once, one connection listing per endpoint that passes every other requirement
 * (its key's state included), and one stream
 * look-up per distinct group (or named stream), only for endpoints with a connection older than the
 * grace period (without one, ingestion cannot change the verdict).
 *
 * @param clients - CloudWatch Logs, KMS and EC2 clients of the account and region evaluated
 * @param judged - the endpoints and their groups' look-ups
 * @param parameters - the rule's parsed parameters
 * @param now - the time the grace period is counted back from
 * @returns the facts of each endpoint, in the order of `judged`
 */
export async function gatherPipelineFacts(
  clients: PipelineClients,
  judged: readonly JudgedEndpoint[],
  parameters: RuleParameters,
  now: () => Date = () => new Date(),
): Promise<PipelineFacts[]> {
  const keyIds = judged.map(({ logGroup }) => keyToLookUp(logGroup, parameters));
  const wantedKeys = keyIds.filter((id): id is string => id !== undefined);
  // Keys first (one call per distinct key, all at once): an endpoint whose key already fails it needs
  // no delivery calls, which are one per endpoint.
  const keys: Map<string, KeyLookup> =
    wantedKeys.length === 0 ? new Map() : await lookUpKeys(await clients.kms(), wantedKeys);
  const keyOf = (index: number): KeyLookup | undefined => {
    const keyId = keyIds[index];
    return keyId === undefined ? undefined : keys.get(keyId);
  };
  const sources = judged.map(({ endpoint, logGroup }, index) =>
    deliveryToCheck(endpoint, logGroup, parameters, keyOf(index)),
  );

  const readDelivery = async () => {
    const indexes = sources.flatMap((source, index) => (source === undefined ? [] : [index]));
    if (indexes.length === 0) return new Map<number, PipelineFacts['delivery']>();
    const ec2 = await clients.ec2();
    const connections = await mapConcurrently(indexes, DELIVERY_LOOKUP_CONCURRENCY, (index) =>
      listConnectionTimes(ec2, (judged[index] as JudgedEndpoint).endpoint.endpointId),
    );
    const observedAt = now();
    // Only endpoints with a connection past its grace need the streams read.
    const due = new Map<string, IngestionSource>();
    indexes.forEach((index, position) => {
      const source = sources[index] as IngestionSource;
      const times = connections[position] as Date[];
      if (connectionDueInLogs(times, observedAt, parameters.deliveryGraceMinutes) !== undefined) {
        due.set(sourceKey(source), source);
      }
    });
    const ingestion = await mapConcurrently([...due.values()], DELIVERY_LOOKUP_CONCURRENCY, (source) =>
      lastIngestionTime(clients.logs, source),
    );
    const ingestionBySource = new Map([...due.keys()].map((key, position) => [key, ingestion[position]]));
    return new Map(
      indexes.map((index, position) => {
        const source = sources[index] as IngestionSource;
        const lastIngestion = ingestionBySource.get(sourceKey(source));
        return [
          index,
          {
            connectionTimes: connections[position] as Date[],
            observedAt,
            ...(lastIngestion ? { lastIngestion } : {}),
            ...(source.logStreamName ? { streamName: source.logStreamName } : {}),
          },
        ];
      }),
    );
  };

  const delivery = await readDelivery();
  return judged.map((_, index) => {
    const key = keyOf(index);
    const evidence = delivery.get(index);
    return { ...(key ? { key } : {}), ...(evidence ? { delivery: evidence } : {}) };
  });
}
