export * from './private-processing-network';
