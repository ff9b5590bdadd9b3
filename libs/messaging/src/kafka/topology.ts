import type { Admin } from 'kafkajs';
import { dlqTopic } from '@paylend/contracts';

/**
 * Topics are created by the project, never by the broker (auto-creation is off): each service creates the
 * topics it produces or consumes, and a dead-letter topic beside each one it consumes.
 *
 * Partition count: PAYLEND_TOPIC_PARTITIONS, default 3. Messages are keyed by entity, so the partition
 * count caps how many consumers of one group work in parallel; 3 fits a 2-core single broker. Changing it
 * later reshuffles keys, so production picks it once (e.g. 12 or 24) before the first message.
 */
export const DEFAULT_PARTITIONS = 3;

export interface TopologySpec {
  topics: string[];
  /** Topics this service consumes; each gets a `<topic>.dlq`. */
  consumed?: string[];
  partitions?: number;
  replicationFactor?: number;
}

/**
 * Creates what is missing of the spec's topics and returns once every one of them has a leader for each
 * partition, so the caller can produce, fetch offsets and join groups at once. Services starting together
 * race to create the same topics: a creation that fails because a peer got there first is retried until
 * the topics are listed, and a topic a peer created a moment ago is waited for until it has its leaders.
 * Returns the topics that were missing when it started (created here or by a peer).
 */
export async function ensureTopics(admin: Admin, spec: TopologySpec, timeoutMs = 20_000): Promise<string[]> {
  const wanted = [
    ...new Set([...spec.topics, ...(spec.consumed ?? []).map(dlqTopic), ...(spec.consumed ?? [])]),
  ];
  const deadline = Date.now() + timeoutMs;
  let firstMissing: string[] | undefined;
  for (let wait = 50; ; wait = Math.min(wait * 2, 500)) {
    const existing = new Set(await admin.listTopics());
    const missing = wanted.filter((t) => !existing.has(t));
    firstMissing ??= missing;
    if (missing.length === 0) break;
    try {
      await admin.createTopics({
        waitForLeaders: true,
        topics: missing.map((topic) => ({
          topic,
          numPartitions: spec.partitions ?? DEFAULT_PARTITIONS,
          replicationFactor: spec.replicationFactor ?? 1,
        })),
      });
      break;
    } catch (err) {
      if (Date.now() + wait > deadline)
        throw new Error(`could not create topics ${missing.join(', ')}: ${(err as Error).message}`);
      await sleep(wait);
    }
  }
  await leadersElected(admin, wanted, deadline);
  return firstMissing;
}

async function leadersElected(admin: Admin, topics: string[], deadline: number): Promise<void> {
  let last = 'no answer';
  for (let wait = 50; ; wait = Math.min(wait * 2, 500)) {
    try {
      const { topics: found } = await admin.fetchTopicMetadata({ topics });
      const waiting = topics.filter((t) => {
        const meta = found.find((f) => f.name === t);
        return !meta || meta.partitions.length === 0 || meta.partitions.some((p) => p.leader < 0);
      });
      if (waiting.length === 0) return;
      last = `no leader yet for ${waiting.join(', ')}`;
    } catch (err) {
      last = (err as Error).message;
    }
    if (Date.now() + wait > deadline)
      throw new Error(`topics are not ready (${last}): is the broker at the configured address healthy?`);
    await sleep(wait);
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
