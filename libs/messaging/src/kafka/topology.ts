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

export async function ensureTopics(admin: Admin, spec: TopologySpec): Promise<string[]> {
  const wanted = new Set([...spec.topics, ...(spec.consumed ?? []).map(dlqTopic), ...(spec.consumed ?? [])]);
  const existing = new Set(await admin.listTopics());
  const missing = [...wanted].filter((t) => !existing.has(t));
  if (missing.length === 0) return [];
  try {
    await admin.createTopics({
      waitForLeaders: true,
      topics: missing.map((topic) => ({
        topic,
        numPartitions: spec.partitions ?? DEFAULT_PARTITIONS,
        replicationFactor: spec.replicationFactor ?? 1,
      })),
    });
  } catch (err) {
    // Another service created some of them first; what matters is that they exist now.
    const now = new Set(await admin.listTopics());
    const still = missing.filter((t) => !now.has(t));
    if (still.length > 0)
      throw new Error(`could not create topics ${still.join(', ')}: ${(err as Error).message}`);
  }
  return missing;
}
