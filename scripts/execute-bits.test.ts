import { execFileSync } from 'node:child_process';
import { accessSync, constants, readFileSync } from 'node:fs';
import { join } from 'node:path';

// Issue 12 §3: a committed script without its execute bit fails with exit 126 where the README runs it directly.
const ROOT = join(__dirname, '..');

/** Every tracked file with its git mode, from the index (what a clone gets), not from this checkout's disk. */
function trackedFiles(): { mode: string; path: string }[] {
  const out = execFileSync('git', ['ls-files', '-s', '-z'], { cwd: ROOT, encoding: 'utf8' });
  return out
    .split('\0')
    .filter(Boolean)
    .map((line) => {
      const [meta, path] = line.split('\t');
      return { mode: meta.split(' ')[0], path };
    });
}

function startsWithShebang(path: string): boolean {
  try {
    return readFileSync(join(ROOT, path)).subarray(0, 2).toString() === '#!';
  } catch {
    return false; // deleted in the work tree but still in the index: not this test's concern
  }
}

describe('committed scripts are executable', () => {
  const scripts = trackedFiles().filter((f) => !f.path.endsWith('.md') && startsWithShebang(f.path));

  it('finds the scripts the README runs directly', () => {
    expect(scripts.map((s) => s.path)).toEqual(expect.arrayContaining(['scripts/build-image.sh', '.ci/run']));
  });

  it('commits every file that starts with #! with mode 100755', () => {
    const notExecutable = scripts.filter((s) => s.mode !== '100755').map((s) => `${s.path} (${s.mode})`);
    expect(notExecutable).toEqual([]);
  });

  it('keeps the execute bit on disk, so that running ./scripts/… does not exit 126', () => {
    const notExecutable = scripts.filter((s) => {
      try {
        accessSync(join(ROOT, s.path), constants.X_OK);
        return false;
      } catch {
        return true;
      }
    });
    expect(notExecutable.map((s) => s.path)).toEqual([]);
  });
});
