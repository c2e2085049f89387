/**
 * Copies the non-TypeScript assets tsc does not emit (every `*.hbs` under src/: the mail and page templates;
 * the web portal's stylesheet and script under src/web/assets/) to the
 * same path under dist/src/, so the compiled code finds them beside itself.
 *
 *   node scripts/copy-assets.js [rootDir]     rootDir defaults to the repository root (this file's parent)
 *
 * Files that vanished from src/ are not removed from dist/: a clean build starts from an empty dist/.
 * No dependency on purpose: it runs right after tsc, before anything is installed beyond the build tools.
 */
'use strict';

const fs = require('node:fs');
const path = require('node:path');

const ASSET = /\.hbs$|(^|[\\/])web[\\/]assets[\\/][^\\/]+$/;

/** Paths relative to `dir` of the asset files below it (node_modules and dot-folders skipped). */
function findAssets(dir, relative = '') {
  const found = [];
  for (const entry of fs.readdirSync(path.join(dir, relative), { withFileTypes: true })) {
    const child = path.join(relative, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'node_modules' && !entry.name.startsWith('.')) found.push(...findAssets(dir, child));
    } else if (entry.isFile() && ASSET.test(child)) {
      found.push(child);
    }
  }
  return found;
}

function copyAssets(root) {
  const source = path.join(root, 'src');
  const target = path.join(root, 'dist', 'src');
  const assets = findAssets(source);
  for (const asset of assets) {
    fs.mkdirSync(path.dirname(path.join(target, asset)), { recursive: true });
    fs.copyFileSync(path.join(source, asset), path.join(target, asset));
  }
  return assets.length;
}

if (require.main === module) {
  const root = path.resolve(process.argv[2] ?? path.join(__dirname, '..'));
  try {
    const count = copyAssets(root);
    console.log(`copy-assets: ${count} file${count === 1 ? '' : 's'} copied from src/ to dist/src/`);
  } catch (error) {
    console.error(`copy-assets: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
}

module.exports = { copyAssets };
