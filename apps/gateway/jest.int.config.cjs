// jose 6 ships ES modules only: let SWC compile it to CommonJS for Jest like our own sources.
const base = require('../../jest.preset.cjs').jestProject(__dirname, 'int');
module.exports = { ...base, transformIgnorePatterns: ['/node_modules/(?!jose/)'] };
