// Installs the packages of package-lock.json into the directory given as the argument with
// `npm ci`, as Lambda's Node.js runtimes provide them in /var/runtime/node_modules. Does nothing
// when that directory already holds an install of the same lock file.
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const source = dirname(fileURLToPath(import.meta.url));
const target = process.argv[2];
if (!target) {
  throw new Error('Usage: node install.mjs <target directory>');
}
const lock = readFileSync(join(source, 'package-lock.json'));
const installedLock = join(target, 'package-lock.json');
const upToDate =
  existsSync(join(target, 'node_modules', '.package-lock.json')) &&
  existsSync(installedLock) &&
  readFileSync(installedLock).equals(lock);
if (!upToDate) {
  mkdirSync(target, { recursive: true });
  copyFileSync(join(source, 'package.json'), join(target, 'package.json'));
  copyFileSync(join(source, 'package-lock.json'), installedLock);
  execFileSync('npm', ['ci', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error'], {
    cwd: target,
    stdio: 'inherit',
    shell: process.platform === 'win32',
  });
}
