export * from './encryption-scp';
export * from './config-rule-pack';
