// Builds once when dist/ is missing, so `npm run verify` works on a fresh clone after `npm ci`.
const { existsSync } = require('node:fs');
const { join } = require('node:path');
const { execSync } = require('node:child_process');

if (!existsSync(join(__dirname, '..', 'dist', 'apps', 'verifier', 'src', 'main.js'))) {
  execSync('npm run build --silent', { stdio: 'inherit', cwd: join(__dirname, '..') });
}
