export { openTestDatabase, testDatabaseKind } from './database.js';
export { testMqttUrl } from './broker.js';
export { startEsimctl, startServe, type RunningCli } from './esimctl.js';
export { openTestApi, type TestApi } from './api.js';
export { WebhookReceiver, type ReceivedHook } from './webhook-receiver.js';
