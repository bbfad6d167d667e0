export * from './personal-data-store';
export * from './personal-data-bucket';
export * from './privacy-table';
export * from './existing-personal-data-table';
export * from './existing-personal-data-bucket';
export * from './personal-data-backup-plan';
export * from './privacy-recipient';
