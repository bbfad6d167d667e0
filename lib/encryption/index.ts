export * from './privacy-key';
export * from './pseudonymization-key';
