export * from './privacy-tag-keys';
export * from './data-category';
export * from './privacy-classification';
export * from './privacy-principal';
export * from './data-purpose';
