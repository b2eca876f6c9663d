/** What to do when the recorded real answers no longer match what the data source sends. */
export const RERECORD = 'start a Loki (see DEVELOPERS.md, "Real-path conformance"), then LOKI_URL=http://127.0.0.1:3100 npm run test:loki';
