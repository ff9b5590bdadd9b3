// Shared Jest settings: SWC transpiles TypeScript (with decorator metadata for NestJS),
// and @paylend/* aliases resolve to the libraries' sources, exactly as tsconfig.base.json says.
const path = require('node:path');
const { compilerOptions } = require('./tsconfig.base.json');

const moduleNameMapper = {};
for (const [alias, [target]] of Object.entries(compilerOptions.paths)) {
  moduleNameMapper[`^${alias}$`] = path.join(__dirname, target);
}

const swc = {
  jsc: {
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true },
    target: 'es2022',
    keepClassNames: true,
  },
  module: { type: 'commonjs' },
  sourceMaps: 'inline',
};

/** @param {string} dir project root; @param {'unit'|'int'} kind */
function jestProject(dir, kind) {
  const name = path.relative(__dirname, dir);
  return {
    displayName: `${name}:${kind}`,
    rootDir: dir,
    testEnvironment: 'node',
    transform: { '^.+\\.(t|j)s$': ['@swc/jest', swc] },
    moduleFileExtensions: ['ts', 'js', 'mjs', 'json'],
    moduleNameMapper,
    testMatch: kind === 'unit' ? ['<rootDir>/**/*.spec.ts'] : ['<rootDir>/**/*.int-spec.ts'],
    testPathIgnorePatterns: ['/node_modules/', '/dist/'],
    // jose 6 ships ES modules only: SWC compiles it to CommonJS like our own sources.
    transformIgnorePatterns: ['/node_modules/(?!jose/)'],
    // Timeouts are set from a setup file because aggregate runs ignore a project's own testTimeout.
    setupFilesAfterEnv: [path.join(__dirname, kind === 'int' ? 'jest.setup-int.cjs' : 'jest.setup-unit.cjs')],
  };
}

module.exports = { jestProject, swc };

/** Every project's Jest config file of one kind, for the aggregate runs of `npm test`. */
function projectConfigs(file) {
  const fs = require('node:fs');
  const out = [];
  const walk = (dir, depth) => {
    if (depth > 4) return;
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      if (!e.isDirectory() || e.name === 'node_modules' || e.name.startsWith('.') || e.name === 'generated')
        continue;
      const sub = path.join(dir, e.name);
      if (fs.existsSync(path.join(sub, file))) out.push(path.join(sub, file));
      walk(sub, depth + 1);
    }
  };
  for (const top of ['apps', 'libs']) walk(path.join(__dirname, top), 0);
  if (fs.existsSync(path.join(__dirname, 'tools', file))) out.push(path.join(__dirname, 'tools', file));
  return out.sort();
}

module.exports.projectConfigs = projectConfigs;
