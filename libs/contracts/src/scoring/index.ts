export * from './score-application.command';
export * from './population-stability.command';
export * from './drift-detected.event';
export * from './repayment-recorded.event';
export * from './scoring-errors';
