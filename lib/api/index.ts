export * from './dsr-api';
