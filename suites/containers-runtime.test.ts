import { bridgeGateway } from './containers-runtime';

// Issue 13 §7: the containers test serves a target on the Docker bridge's gateway; some engines report no Gateway.
describe('the Docker bridge gateway, as containers on the bridge reach the host', () => {
  const docker0 = { docker0: [{ address: '172.18.0.1', family: 'IPv4' as const, internal: false }] };

  it('is the Gateway that `docker network inspect bridge` reports', () => {
    expect(bridgeGateway({ IPAM: { Config: [{ Subnet: '172.17.0.0/16', Gateway: '172.17.0.1' }] } }, docker0)).toBe(
      '172.17.0.1',
    );
  });

  it("is docker0's IPv4 address when the inspect output has no Gateway", () => {
    expect(bridgeGateway({ IPAM: { Config: [{ Subnet: '172.17.0.0/16' }] } }, docker0)).toBe('172.18.0.1');
  });

  it("is the subnet's first host when there is neither a Gateway nor a docker0 address", () => {
    expect(bridgeGateway({ IPAM: { Config: [{ Subnet: '10.200.12.0/22' }] } }, {})).toBe('10.200.12.1');
    expect(bridgeGateway({ IPAM: { Config: [{ Subnet: 'fd00::/64' }, { Subnet: '192.168.5.7/24' }] } }, {})).toBe(
      '192.168.5.1',
    );
  });

  it('says what it looked at when nothing gives an address', () => {
    expect(() => bridgeGateway({ IPAM: { Config: null } }, { docker0: [] })).toThrow(
      /no IPv4 Gateway or Subnet, and this machine has no docker0 interface/,
    );
  });
});
