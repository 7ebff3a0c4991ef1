import { SidecarMetrics } from '../../../src/observability/metrics';

describe('SidecarMetrics', () => {
  test.each([
    [true, 1],
    [false, 0],
  ])('apiguard_database_up asks the probe at scrape time (answer %p gives %p)', async (answer, value) => {
    let asked = 0;
    const metrics = new SidecarMetrics(async () => {
      asked += 1;
      return answer;
    });

    const body = await metrics.registry.metrics();

    expect(asked).toBe(1);
    expect(body).toMatch(new RegExp(`^apiguard_database_up ${value}$`, 'm'));
  });
});

describe('SidecarMetrics counters on the authorization path', () => {
  const line = (body: string, selector: string) =>
    body.split('\n').find((l) => l.startsWith(selector))?.split(' ').at(-1);

  test('hands the counts over at each scrape, each count once', async () => {
    const metrics = new SidecarMetrics();
    metrics.decision('allow', 'token');
    metrics.decision('allow', 'token');
    metrics.decision('expired', 'token');
    metrics.cacheLookup('credential', true);

    const first = await metrics.registry.metrics();
    metrics.decision('allow', 'token');
    const second = await metrics.registry.metrics();

    expect(line(first, 'apiguard_authorizations_total{result="allow",kind="token"}')).toBe('2');
    expect(line(first, 'apiguard_authorizations_total{result="expired",kind="token"}')).toBe('1');
    expect(line(first, 'apiguard_cache_lookups_total{cache="credential",result="hit"}')).toBe('1');
    expect(line(second, 'apiguard_authorizations_total{result="allow",kind="token"}')).toBe('3');
    expect(line(second, 'apiguard_authorizations_total{result="expired",kind="token"}')).toBe('1');
  });

  test('times each RPC by status code', async () => {
    const metrics = new SidecarMetrics();
    const observe = metrics.rpcTimer('Authorize');

    observe('OK', 0.0002);
    observe('OK', 0.0003);
    observe('UNAVAILABLE', 0.002);
    const body = await metrics.registry.metrics();

    expect(line(body, 'apiguard_rpc_duration_seconds_count{rpc="Authorize",grpc_code="OK"}')).toBe('2');
    expect(line(body, 'apiguard_rpc_duration_seconds_count{rpc="Authorize",grpc_code="UNAVAILABLE"}')).toBe('1');
  });
});
