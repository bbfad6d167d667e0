export * from './dsr-api';
export * from './dsr-api-authorization';
