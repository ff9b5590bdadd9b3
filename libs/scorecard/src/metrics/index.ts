export * from './auc';
export * from './ks';
export * from './psi';
export * from './confusion';
export * from './calibration';
