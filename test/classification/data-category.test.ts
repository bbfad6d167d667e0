import { DataCategory } from '../../lib';

describe('DataCategory', () => {
  const all = DataCategory.all();

  test('every built-in key is unique, fideslang-shaped and inside the AWS tag character set', () => {
    const keys = all.map((c) => c.key);
    expect(new Set(keys).size).toBe(keys.length);
    for (const key of keys) {
      expect(key).toMatch(/^user(\.[a-z0-9_]+)+$/);
    }
  });

  test('the sensitive categories are exactly those of Civ. Code 1798.140(ae), and data of consumers known to be under 16 (11 CCR 7001)', () => {
    for (const category of all) {
      expect(category.ccpaReference.includes('1798.140(ae)') || category.ccpaReference.includes('11 CCR 7001')).toBe(category.sensitive);
    }
    expect(DataCategory.CHILDREN.sensitive).toBe(true);
    expect(all.filter((c) => c.sensitive).map((c) => c.key)).toEqual([
      'user.biometrics', 'user.location.precise', 'user.children', 'user.government_id', 'user.authorization.credentials',
      'user.financial.credit_card', 'user.demographic.race_ethnicity',
      'user.demographic.citizenship_or_immigration_status', 'user.demographic.religious_belief',
      'user.demographic.philosophical_belief', 'user.demographic.union_membership', 'user.content.private',
      'user.health.genetic', 'user.neural', 'user.health', 'user.demographic.sexual_orientation',
    ]);
  });

  test('every CCPA category of personal information, 1798.140(v)(1)(A) to (K), has at least one built-in category', () => {
    for (const letter of ['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H', 'I', 'J', 'K']) {
      expect(all.some((c) => c.ccpaReference.includes(`1798.140(v)(1)(${letter})`))).toBe(true);
    }
  });

  test('fromKey returns the built-in instance', () => {
    expect(DataCategory.fromKey('user.contact')).toBe(DataCategory.CONTACT);
  });

  test('custom categories keep their options', () => {
    const c = DataCategory.custom('user.contact.address.postal_code', { sensitive: false, ccpaReference: 'Civ. Code 1798.140(v)(1)(A)', description: 'ZIP code' });
    expect([c.key, c.sensitive, c.ccpaReference, c.description, `${c}`]).toEqual([
      'user.contact.address.postal_code', false, 'Civ. Code 1798.140(v)(1)(A)', 'ZIP code', 'user.contact.address.postal_code',
    ]);
  });

  test.each([
    ['user.contact,user.name'],
    ['User.Contact'],
    ['user..contact'],
    [''],
  ])('a custom key %p outside the fideslang and tag shape is refused naming the key', (key) => {
    expect(() => DataCategory.custom(key, { sensitive: false, ccpaReference: 'x' }))
      .toThrow(`DataCategory.custom: key ${JSON.stringify(key)} is not a fideslang-style key`);
  });

  test('a custom category without a CCPA reference is refused', () => {
    expect(() => DataCategory.custom('user.pets', { sensitive: false, ccpaReference: ' ' })).toThrow(/ccpaReference for "user.pets" is empty/);
  });
});
