/** Nest injection tokens of the gateway's own providers. */
export const GATEWAY_CONFIG = Symbol('GATEWAY_CONFIG');
export const JWT_SETTINGS = Symbol('JWT_SETTINGS');
export const RATE_LIMITER = Symbol('RATE_LIMITER');
export const IDEMPOTENCY = Symbol('IDEMPOTENCY');
export const WALLET_CLIENT = Symbol('WALLET_CLIENT');
