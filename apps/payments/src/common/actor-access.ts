import type { Actor } from '@paylend/contracts';

export function isOperator(actor: Actor): boolean {
  return actor.roles.includes('operator');
}

/** A merchant's objects are visible to its owner and operators; anyone else is told they do not exist. */
export function ownsMerchant(actor: Actor, merchant: { ownerUserId: string } | null | undefined): boolean {
  return !!merchant && (isOperator(actor) || merchant.ownerUserId === actor.userId);
}
