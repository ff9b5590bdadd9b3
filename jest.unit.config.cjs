// Every project's unit specs in one Jest run (npm test); `npx nx test <project>` runs one project's.
module.exports = { projects: require('./jest.preset.cjs').projectConfigs('jest.config.cjs') };
