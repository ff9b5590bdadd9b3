export * from './dataset';
export * from './protected-attributes';
export * from './german-credit';
export * from './csv';
export * from './load-dataset';
