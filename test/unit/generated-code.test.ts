import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';

const root = join(__dirname, '../..');

function files(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const path = join(d, name);
      if (statSync(path).isDirectory()) walk(path);
      else out.set(relative(dir, path), readFileSync(path, 'utf8'));
    }
  };
  walk(dir);
  return out;
}

describe('generated gRPC code', () => {
  test('is what make proto produces from proto/ (run make proto when this fails)', () => {
    const scratch = mkdtempSync(join(tmpdir(), 'apiguard-proto-'));
    try {
      execFileSync('bash', ['scripts/proto.sh', join(scratch, 'ts'), join(scratch, 'rb')], { cwd: root });

      expect(files(join(scratch, 'ts'))).toEqual(files(join(root, 'src/generated')));
      expect(files(join(scratch, 'rb'))).toEqual(files(join(root, 'redmine_plugin/generated')));
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  });
});
