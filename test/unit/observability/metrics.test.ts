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
