export * from './audit-log-archive';
export * from './isolated-audit-trail';
