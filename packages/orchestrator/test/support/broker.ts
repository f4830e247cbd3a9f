/** The real MQTT broker tests talk to (Mosquitto on this machine and in CI). */
export function testMqttUrl(): string {
  return process.env.TEST_MQTT_URL ?? 'mqtt://127.0.0.1:1883';
}
