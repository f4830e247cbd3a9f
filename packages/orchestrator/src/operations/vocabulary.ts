import Type, { type Static } from 'typebox';

export const stacks = ['sgp02', 'sgp32'] as const;
export type Stack = (typeof stacks)[number];

export const Iccid = Type.String({
  pattern: '^[0-9]{18,19}[0-9F]?$',
  description: 'ICCID, 19 or 20 digits (E.118)',
});
const OnProfile = Type.Object({ iccid: Iccid }, { additionalProperties: false });

/**
 * One vocabulary for both stacks: what the product can ask an eUICC to do. Each stack adapter
 * maps a type to its own functions (SGP.02 ES2/ES4, SGP.32 eUICC packages) or refuses it with a
 * reason. The parameter schemas are the contract for rules, the API and the adapters alike.
 */
export const OperationParams = {
  /** Download a profile: from the SM-DP over ES2 (SGP.02) or an SM-DP+ (SGP.32, direct or through the eIM). */
  download: Type.Object(
    {
      iccid: Type.Optional(Iccid),
      profileType: Type.Optional(Type.String({ minLength: 1 })),
      /** The SM-DP / SM-DP+ platform that holds the profile. */
      platformId: Type.Optional(Type.String({ minLength: 1 })),
      /** SGP.32: the activation code handed to the IPA in a ProfileDownloadTriggerRequest. */
      activationCode: Type.Optional(Type.String({ minLength: 1 })),
      /** Enable the profile once installed. */
      enable: Type.Optional(Type.Boolean()),
    },
    { additionalProperties: false },
  ),
  enable: OnProfile,
  disable: OnProfile,
  delete: OnProfile,
  /** Read the eUICC's state back (SGP.02 AuditEIS, SGP.32 listProfileInfo / IpaEuiccDataRequest). */
  audit: Type.Object({ iccids: Type.Optional(Type.Array(Iccid)) }, { additionalProperties: false }),
  setFallback: OnProfile,
  unsetFallback: OnProfile,
  setEmergency: OnProfile,
  unsetEmergency: OnProfile,
  updateSubscriptionAddress: Type.Object(
    {
      iccid: Iccid,
      msisdn: Type.Optional(Type.String({ pattern: '^[0-9]{3,15}$' })),
      imsi: Type.Optional(Type.String({ pattern: '^[0-9]{6,15}$' })),
    },
    { additionalProperties: false },
  ),
  /** SGP.02 POL2: what may be done to a profile. */
  updatePolicyRules: Type.Object(
    {
      iccid: Iccid,
      pol2: Type.Array(
        Type.Object(
          {
            action: Type.Union([Type.Literal('ENABLE'), Type.Literal('DISABLE'), Type.Literal('DELETE')]),
            qualification: Type.Union([Type.Literal('Not-Allowed'), Type.Literal('Auto-Delete')]),
          },
          { additionalProperties: false },
        ),
      ),
    },
    { additionalProperties: false },
  ),
  /** SGP.02 SM-SR change: to the SM-SR platform `targetSmsrId`. */
  smsrChange: Type.Object({ targetSmsrId: Type.String({ minLength: 1 }) }, { additionalProperties: false }),
  /** SGP.32 eIM change: associate the eUICC with another eIM (eCO addEim, then deleteEim of ours). */
  eimChange: Type.Object({ targetEimId: Type.String({ minLength: 1 }) }, { additionalProperties: false }),
} as const;

export type OperationType = keyof typeof OperationParams;
export type OperationParamsOf<T extends OperationType> = Static<(typeof OperationParams)[T]>;
export const operationTypes = Object.keys(OperationParams) as OperationType[];

export const operationStates = ['pending', 'sent', 'succeeded', 'failed', 'expired', 'cancelled'] as const;
export type OperationState = (typeof operationStates)[number];
export const terminalStates: readonly OperationState[] = ['succeeded', 'failed', 'expired', 'cancelled'];

/**
 * pending -> sent -> (succeeded | failed | expired | cancelled), and back to pending for a retry.
 * A synchronous stack answer goes from pending straight to its end.
 */
export const allowedTransitions: Record<OperationState, readonly OperationState[]> = {
  pending: ['pending', 'sent', 'succeeded', 'failed', 'expired', 'cancelled'],
  sent: ['pending', 'succeeded', 'failed', 'expired', 'cancelled'],
  succeeded: [],
  failed: [],
  expired: [],
  cancelled: [],
};
