import type { Request } from 'express';
import { ApiError } from '../http/api-error';

/** Statements are one account for one day: 4 MB is far above a real one and keeps a Kafka message small. */
const MAX_BYTES = 4_000_000;

/**
 * A statement sent as the file itself (application/xml, text/xml: camt.053; text/csv: CSV). The JSON body
 * parser leaves these bodies unread, so they are read here with a size limit. Undefined for JSON bodies.
 */
export async function readStatementBody(
  req: Request,
): Promise<{ format: 'camt053' | 'csv'; content: string; windowIds?: string[] } | undefined> {
  const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  const format =
    type === 'application/xml' || type === 'text/xml' ? 'camt053' : type === 'text/csv' ? 'csv' : undefined;
  if (!format) return undefined;
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BYTES)
      throw new ApiError(413, 'STATEMENT_TOO_LARGE', `a statement may be at most ${MAX_BYTES} bytes`);
    chunks.push(chunk);
  }
  const content = Buffer.concat(chunks).toString('utf8');
  if (content.trim() === '') throw new ApiError(400, 'VALIDATION_FAILED', 'the statement body is empty');
  return { format, content };
}
