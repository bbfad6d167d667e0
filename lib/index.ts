export * from './classification';
export * from './encryption';
export * from './audit';
export * from './nag';
export * from './governance';
export * from './storage';
export * from './inventory';
export * from './dsr';
