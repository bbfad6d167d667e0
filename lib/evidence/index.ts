export * from './cyber-audit-evidence';
