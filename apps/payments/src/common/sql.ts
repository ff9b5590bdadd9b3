import type { QueryResult, QueryResultRow } from 'pg';

/** A pool or a transaction's client: repositories run on whichever the caller holds. */
export interface Sql {
  query<R extends QueryResultRow = QueryResultRow>(text: string, values?: unknown[]): Promise<QueryResult<R>>;
}
