export * from './errors';
export { mulberry32, shuffled } from './random/mulberry32';
export * from './binning';
export * from './metrics';
export * from './regression/logistic-regression';
export * from './scaling/points-scaling';
export * from './grading/grades';
export * from './dataset';
export * from './fairness/disparate-impact';
export * from './model/artifact';
export {
  loadModel,
  compile,
  scoreApplication,
  logOddsBad,
  type Scorecard,
  type Application,
  type ScoreResult,
  type ReasonCode,
} from './model/scorecard';
export * from './application/application.schema';
export { stratifiedFolds } from './evaluation/stratified-folds';
export {
  trainScorecard,
  candidateAttributes,
  DEFAULT_TRAIN,
  type TrainOptions,
  type FoldResult,
} from './evaluation/train';
export { evaluateModel, type EvaluationReport } from './evaluation/evaluate';
