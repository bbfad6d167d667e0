export * from './personal-data-store';
export * from './personal-data-bucket';
export * from './privacy-table';
export * from './personal-data-backup-plan';
export * from './privacy-recipient';
