// Entry point that `zapier validate` / `zapier push` load (package.json "main").
// The app is written in TypeScript (src/) and compiled, together with the shared
// IntelliPortal API core (../shared), into lib/ by `npm run build`.
module.exports = require('./lib/zapier/src/index.js').default;
