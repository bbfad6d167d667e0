export * from './cyber-audit-evidence';
export * from './privileged-change-alerts';
export * from './evidence-archive';
export * from './threat-detection';
export * from './vulnerability-scanning';
export * from './sensitive-data-discovery';
