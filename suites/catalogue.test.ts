import { catalogue } from './catalogue';
import { planRequirements } from './conformance';
import { validateCatalogue } from './engine';

describe('the one catalogue', () => {
  it('obeys the catalogue rules', () => {
    expect(() => validateCatalogue(catalogue)).not.toThrow();
  });

  it('is what a run plans when every suite is selected, in the same order', () => {
    const planned = planRequirements({
      target: {
        baseUrl: 'http://127.0.0.1:9/scim/v2',
        token: 't',
        adminUrl: 'http://127.0.0.1:9/__admin',
        adminToken: 'a',
      },
      idpDriver: 'node driver.js',
    });
    expect(planned.map((r) => r.id)).toEqual(catalogue.map((r) => r.id));
  });
});
