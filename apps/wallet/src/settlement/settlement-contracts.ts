import {
  getMerchantCommand,
  type MessageContract,
  OrderRefunded,
  OrderSucceeded,
  SETTLEMENT_COMMANDS,
  SETTLEMENT_EVENTS,
} from '@paylend/contracts';

/** What settlement adds to the wallet service: its commands and events, payments' order events, get-merchant. */
export const SETTLEMENT_CONTRACTS: MessageContract[] = [
  ...(SETTLEMENT_COMMANDS as readonly MessageContract[]),
  ...(SETTLEMENT_EVENTS as readonly MessageContract[]),
  OrderSucceeded as MessageContract,
  OrderRefunded as MessageContract,
  getMerchantCommand as MessageContract,
];

export const SETTLEMENT_CONSUMED: string[] = [
  ...SETTLEMENT_COMMANDS.map((c) => c.topic),
  OrderSucceeded.topic,
  OrderRefunded.topic,
];
