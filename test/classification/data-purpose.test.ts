import { DataPurpose } from '../../lib';

describe('DataPurpose', () => {
  const all = DataPurpose.all();

  test('every built-in key is unique, fideslang-shaped and inside the AWS tag character set', () => {
    const keys = all.map((p) => p.key);
    expect(new Set(keys).size).toBe(keys.length);
    for (const key of keys) {
      expect(key).toMatch(/^[a-z_]+(\.[a-z_]+)*$/);
    }
    expect(all).toContain(DataPurpose.ADVERTISING);
  });

  test('every built-in purpose has a description a privacy notice can print', () => {
    for (const p of all) {
      expect(p.description).not.toBe(p.key);
      expect(p.description.length).toBeGreaterThan(5);
    }
  });

  test('fromKey returns the built-in instance, and a custom one for an unknown key', () => {
    expect(DataPurpose.fromKey('essential.service')).toBe(DataPurpose.PROVIDE_SERVICE);
    const unknown = DataPurpose.fromKey('essential.service.notifications');
    expect([unknown.key, unknown.description, `${unknown}`]).toEqual([
      'essential.service.notifications', 'essential.service.notifications', 'essential.service.notifications',
    ]);
  });

  test('custom purposes keep their description', () => {
    const p = DataPurpose.custom('essential.service.notifications', { description: 'Sending order notifications' });
    expect([p.key, p.description]).toEqual(['essential.service.notifications', 'Sending order notifications']);
  });

  test.each([
    ['marketing,analytics'],
    ['Marketing'],
    ['marketing..email'],
    [''],
  ])('a custom key %p outside the fideslang and tag shape is refused naming the key and the fix', (key) => {
    expect(() => DataPurpose.custom(key))
      .toThrow(`DataPurpose.custom: key ${JSON.stringify(key)} is not a fideslang-style data-use key; use lower-case`);
  });
});
