export * from './woe';
export * from './attribute-binning';
export { binNumeric, type NumericRange, type NumericBinningOptions } from './numeric-binning';
export { binCategorical, type CategoryGroup, type CategoricalBinningOptions } from './categorical-binning';
