/** `msfctl init` through the binary: a spec for a Maven project that `msfctl validate` accepts, and its refusals. */
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { msfctl } from '../harness/msfctl-cli.js';

const STOCK_PRICES = fileURLToPath(new URL('../../../../examples/stock-prices', import.meta.url));

describe('msfctl init', () => {
  it("writes a spec for a Maven project (name and runtime from its pom, the role given) that validate accepts; won't overwrite it", async () => {
    const cwd = mkdtempSync(path.join(tmpdir(), 'msfctl-init-'));
    const role = 'arn:aws:iam::123456789012:role/stock-prices';
    const init = await msfctl(['init', '--maven', STOCK_PRICES, '--role', role], { cwd });
    expect(init.code, init.stderr).toBe(0);
    expect(init.stdout).toContain('Wrote msfctl.yaml for stock-prices (FLINK-1_19)');
    const text = readFileSync(path.join(cwd, 'msfctl.yaml'), 'utf8');
    expect(text).toContain(`maven: ${STOCK_PRICES}`);
    expect(text).toContain(`role: ${role}`);

    const validate = await msfctl(['validate'], { cwd });
    expect(validate.code, validate.stdout + validate.stderr).toBe(0);

    const again = await msfctl(['init', '--maven', STOCK_PRICES], { cwd });
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('msfctl.yaml exists.');
    expect(readFileSync(path.join(cwd, 'msfctl.yaml'), 'utf8')).toBe(text);
  });

  it('says what it needs when given no code, and names an unknown runtime', async () => {
    const cwd = mkdtempSync(path.join(tmpdir(), 'msfctl-init-'));
    const bare = await msfctl(['init'], { cwd });
    expect(bare.code).toBe(1);
    expect(bare.stderr).toContain('init needs the code: --jar FILE, --maven DIR, or --tfvars FILE.');
    const runtime = await msfctl(['init', '--jar', 'app.jar', '--runtime', 'FLINK-9_9'], { cwd });
    expect(runtime.code).toBe(1);
    expect(runtime.stderr).toContain('--runtime FLINK-9_9 is not a runtime MSF has');
    expect(existsSync(path.join(cwd, 'msfctl.yaml'))).toBe(false);
  });
});
