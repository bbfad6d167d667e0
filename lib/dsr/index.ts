export * from './dsr-workflow';
