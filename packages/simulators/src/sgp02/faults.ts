/** Faults an operator of the simulator injects through `POST /sim/faults`. */
export interface Faults {
  /** The next function of this kind is answered with this status instead of being executed. */
  failNext?: { status: 'FAILED' | 'EXPIRED'; subject?: string; reason?: string; message?: string };
  /** The next n Handle*Notifications are never sent. */
  dropNotifications?: number;
  /** The next asynchronous answer (the `...Response` callback) is never sent. */
  dropNextResponse?: boolean;
  duplicateNextNotification?: boolean;
  /** The SMS/HTTPS hop to the card, in milliseconds. */
  latencyMs?: number;
}

export const faultsSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    offline: { type: 'array', items: { type: 'string', pattern: '^[0-9A-Fa-f]{32}$' } },
    online: { type: 'array', items: { type: 'string', pattern: '^[0-9A-Fa-f]{32}$' } },
    loseNetwork: { type: 'string', pattern: '^[0-9A-Fa-f]{32}$' },
    failNext: {
      type: 'object',
      additionalProperties: false,
      required: ['status'],
      properties: {
        status: { enum: ['FAILED', 'EXPIRED'] },
        subject: { type: 'string', pattern: '^[0-9]+(\\.[0-9]+)*$' },
        reason: { type: 'string', pattern: '^[0-9]+(\\.[0-9]+)*$' },
        message: { type: 'string' },
      },
    },
    dropNotifications: { type: 'integer', minimum: 0, maximum: 1000 },
    dropNextResponse: { type: 'boolean' },
    duplicateNextNotification: { type: 'boolean' },
    latencyMs: { type: 'integer', minimum: 0, maximum: 60000 },
  },
} as const;

export interface FaultRequest extends Faults {
  offline?: string[];
  online?: string[];
  loseNetwork?: string;
}
