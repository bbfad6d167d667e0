export * from './privacy-inventory';
export * from './privacy-inventory-entry';
