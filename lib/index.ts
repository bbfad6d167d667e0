export * from './classification';
export * from './encryption';
