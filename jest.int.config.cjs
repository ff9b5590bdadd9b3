// Every project's integration specs, run in band against the one broker and PostgreSQL (npm test).
module.exports = { projects: require('./jest.preset.cjs').projectConfigs('jest.int.config.cjs') };
