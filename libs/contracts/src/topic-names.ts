/**
 * Topic naming, the one place it is decided:
 *   events   `<context>.<entity>.<event>.v<N>`   e.g. `wallet.transfer.posted.v1`
 *   commands `<context>.<command>.cmd.v<N>`      e.g. `wallet.create-hold.cmd.v1`
 *   replies  `<service>.replies.v1` (one per requesting service; each instance filters its own)
 *   dead letters `<topic>.dlq`
 * A breaking schema change gets a new version, so old and new consumers can run side by side.
 */
const SEGMENT = /^[a-z][a-z0-9-]*$/;

function checkSegment(kind: string, value: string): string {
  if (!SEGMENT.test(value)) {
    throw new Error(
      `topic ${kind} "${value}" must be lower-case letters, digits and dashes, starting with a letter`,
    );
  }
  return value;
}

function checkVersion(version: number): number {
  if (!Number.isInteger(version) || version < 1)
    throw new Error(`topic version must be a positive integer, got ${version}`);
  return version;
}

export function eventTopic(context: string, entity: string, event: string, version: number): string {
  return `${checkSegment('context', context)}.${checkSegment('entity', entity)}.${checkSegment('event', event)}.v${checkVersion(version)}`;
}

export function commandTopic(context: string, command: string, version: number): string {
  return `${checkSegment('context', context)}.${checkSegment('command', command)}.cmd.v${checkVersion(version)}`;
}

export function replyTopic(service: string): string {
  return `${checkSegment('service', service)}.replies.v1`;
}

export function dlqTopic(topic: string): string {
  return `${topic}.dlq`;
}

const EVENT_TOPIC = /^[a-z][a-z0-9-]*\.[a-z][a-z0-9-]*\.[a-z][a-z0-9-]*\.v[1-9][0-9]*$/;
const COMMAND_TOPIC = /^[a-z][a-z0-9-]*\.[a-z][a-z0-9-]*\.cmd\.v[1-9][0-9]*$/;

export function isEventTopic(topic: string): boolean {
  return EVENT_TOPIC.test(topic) && !COMMAND_TOPIC.test(topic);
}

export function isCommandTopic(topic: string): boolean {
  return COMMAND_TOPIC.test(topic);
}
