import { SettlementController } from './settlement.controller';

/** The operator settlement routes, registered by the gateway's AppModule. */
export const SETTLEMENT_CONTROLLERS = [SettlementController];
