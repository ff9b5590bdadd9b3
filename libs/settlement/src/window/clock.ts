/** Window transitions and resolutions read the ledger's injectable clock, so tests can move time. */
export type { Clock } from '@paylend/ledger';
