import { describe, expect, it } from 'vitest';
import { parseMsfLocalCommandLine } from '../../src/adapters/targets/local/running-instances.js';

describe('msf-local command lines (issue 16 item 6: one msf-local per data dir)', () => {
  it('reads the port and data directory of `msf-local start`, defaults applied', () => {
    const env = { MSF_LOCAL_DATA_DIR: '/data/default' };
    expect(
      parseMsfLocalCommandLine(
        [
          '/usr/bin/node',
          '/repo/packages/msf-local/bin/msf-local.js',
          'start',
          '--port',
          '4600',
          '--data-dir',
          '/tmp/d',
        ],
        env,
      ),
    ).toEqual({ port: 4600, dataDir: '/tmp/d' });
    expect(
      parseMsfLocalCommandLine(['node', '/x/node_modules/.bin/msf-local', 'start', '--port=4601'], env),
    ).toEqual({
      port: 4601,
      dataDir: '/data/default',
    });
    expect(parseMsfLocalCommandLine(['node', '/x/bin/msf-local.js', 'start'], env)).toEqual({
      port: 4577,
      dataDir: '/data/default',
    });
  });

  it('ignores other commands and other programs', () => {
    expect(parseMsfLocalCommandLine(['node', '/x/bin/msf-local.js', 'prepare-runtimes'])).toBeUndefined();
    expect(parseMsfLocalCommandLine(['node', '/x/bin/msfctl.js', 'local', 'up'])).toBeUndefined();
    expect(parseMsfLocalCommandLine(['vim', 'msf-local-notes.txt'])).toBeUndefined();
  });
});
