import { catalogue } from './catalogue';
import { planRequirements } from './conformance';
import { validateCatalogue } from './engine';

describe('the one catalogue', () => {
  it('obeys the catalogue rules', () => {
    expect(() => validateCatalogue(catalogue)).not.toThrow();
  });

  const everySuite = {
    target: {
      baseUrl: 'http://127.0.0.1:9/scim/v2',
      token: 't',
      adminUrl: 'http://127.0.0.1:9/__admin',
      adminToken: 'a',
    },
    idpDriver: 'node driver.js',
  };

  it('is what a run plans when every suite and every profile is selected, in the same order', () => {
    const planned = planRequirements({ ...everySuite, profiles: ['pingone', 'entra', 'okta'] });
    expect(planned.map((r) => r.id)).toEqual(catalogue.map((r) => r.id));
  });

  it('plans no Entra ID or Okta check unless its profile is selected, as the run does (the jest adapter relies on it)', () => {
    const byDefault = planRequirements(everySuite).map((r) => r.id);
    expect(byDefault).toContain('SCIM-PUT-UPDATE');
    expect(byDefault).not.toContain('C42-ENTRA-EXTERNALID-LOOKUP');
    expect(byDefault).not.toContain('C42-OKTA-DEACTIVATE-PATHLESS');
    const okta = planRequirements({ ...everySuite, profiles: ['okta'] }).map((r) => r.id);
    expect(okta).toContain('C42-OKTA-DEACTIVATE-PATHLESS');
    expect(okta).not.toContain('C42-ENTRA-EXTERNALID-LOOKUP');
  });
});
