import { z } from 'zod';
import {
  IdString,
  ImportStatementSchema,
  ListSettlementWindowsSchema,
  ResolveBreakSchema,
  SchemeId,
} from '@paylend/contracts';

export const CloseWindowBody = z.object({ scheme: SchemeId }).strict();

/** A statement as JSON; the same route also takes the file itself as application/xml or text/csv. */
export const StatementBody = ImportStatementSchema.omit({ actor: true });

export const StatementQuery = z
  .object({ windowId: z.union([IdString, z.array(IdString).max(366)]).optional() })
  .strict();

export const BreaksQuery = z
  .object({
    status: z.enum(['OPEN', 'RESOLVED', 'ALL']).optional(),
    reconciliationId: z.string().max(128).optional(),
  })
  .strict();

export const ResolveBreakBody = ResolveBreakSchema.omit({ actor: true, breakId: true });

export const ReportQuery = z.object({ format: z.enum(['json', 'csv']).default('json') }).strict();

export const WindowsQuery = ListSettlementWindowsSchema.omit({ actor: true });
