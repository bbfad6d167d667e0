export * from './encryption-scp';
export * from './config-rule-pack';
export * from './tenant-session-principal';
