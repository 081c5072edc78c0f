// Starts the real Unleash server for the real-server tests, on an empty PostgreSQL database.
// Environment: UNLEASH_PORT, UNLEASH_ADMIN_TOKEN (the admin token the tests use, made at start),
// DATABASE_HOST, DATABASE_PORT, DATABASE_NAME, DATABASE_USERNAME.
const unleash = require('unleash-server');

unleash
  .start({
    db: {
      host: process.env.DATABASE_HOST,
      port: Number(process.env.DATABASE_PORT),
      database: process.env.DATABASE_NAME,
      user: process.env.DATABASE_USERNAME,
      password: process.env.DATABASE_PASSWORD || 'unused',
      ssl: false,
    },
    server: { port: Number(process.env.UNLEASH_PORT), host: '127.0.0.1' },
    authentication: {
      initApiTokens: [
        { environment: '*', project: '*', secret: process.env.UNLEASH_ADMIN_TOKEN, type: 'admin', tokenName: 'admin' },
      ],
    },
    getLogger: undefined,
    logLevel: process.env.UNLEASH_LOG_LEVEL || 'warn',
  })
  .then(() => console.log('UNLEASH READY'))
  .catch((e) => {
    console.error('Unleash did not start:', e && e.message);
    process.exit(1);
  });
