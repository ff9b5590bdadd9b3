export * from './currency';
export * from './money-error';
export * from './rounding';
export * from './allocation';
export * from './money';
export * from './minor-units';
