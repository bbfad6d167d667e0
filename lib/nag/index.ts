export * from './ccpa-checks';
export * from './organization-trail-coverage';
export * from './expected-exemptions';
