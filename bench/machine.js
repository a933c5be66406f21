// @ts-check
/** What the numbers were measured on, recorded beside them. */
import { execFileSync } from 'node:child_process';
import { cpus, totalmem } from 'node:os';

/**
 * @param {string} [chromePath] the browser whose version to report
 * @returns {{ cpu: string, cores: number, memoryGiB: number, node: string, chromium: string | null, platform: string, date: string }}
 */
export function machineInfo(chromePath) {
  const processors = cpus();
  return {
    cpu: processors[0]?.model.trim() ?? 'unknown',
    cores: processors.length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    chromium: chromePath ? chromiumVersion(chromePath) : null,
    platform: `${process.platform} ${process.arch}`,
    date: new Date().toISOString(),
  };
}

/** @param {string} chromePath */
function chromiumVersion(chromePath) {
  try {
    // Debian's launcher script prints a shell warning on stderr; the version is the stdout line.
    return execFileSync(chromePath, ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return null;
  }
}
