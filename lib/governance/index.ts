export * from './encryption-scp';
