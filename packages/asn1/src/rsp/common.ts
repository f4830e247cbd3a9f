/** SGP.22 basic types shared by every area: octet sizes, identifiers, profile attributes. */
import {
  app,
  bitString,
  integer,
  OBJECT_IDENTIFIER,
  octetString,
  OPEN_TYPE,
  optional,
  sequence,
  sequenceOf,
  tag,
  UTF8String,
  type ValueOf,
} from '../schema/index.js';
import { rsp } from './module.js';

export const Octet8 = rsp('Octet8', octetString(8));
export type Octet8 = ValueOf<typeof Octet8>;
export const Octet4 = rsp('Octet4', octetString(4));
export type Octet4 = ValueOf<typeof Octet4>;
export const Octet16 = rsp('Octet16', octetString(16));
export type Octet16 = ValueOf<typeof Octet16>;
export const OctetTo16 = rsp('OctetTo16', octetString(1, 16));
export type OctetTo16 = ValueOf<typeof OctetTo16>;
export const Octet32 = rsp('Octet32', octetString(32));
export type Octet32 = ValueOf<typeof Octet32>;
export const Octet1 = rsp('Octet1', octetString(1));
export type Octet1 = ValueOf<typeof Octet1>;
export const Octet2 = rsp('Octet2', octetString(2));
export type Octet2 = ValueOf<typeof Octet2>;
/** Major/minor/revision, one byte each: `02 00 0C` is v2.0.12. */
export const VersionType = rsp('VersionType', octetString(3));
export type VersionType = ValueOf<typeof VersionType>;
/** ICCID as coded in EF.ICCID (BCD, nibble-swapped), tag 5A. */
export const Iccid = rsp('Iccid', tag(app(26), octetString(10)));
export type Iccid = ValueOf<typeof Iccid>;
export const RemoteOpId = rsp('RemoteOpId', tag(2, integer({ installBoundProfilePackage: 1 })));
export type RemoteOpId = ValueOf<typeof RemoteOpId>;
export const TransactionId = rsp('TransactionId', octetString(1, 16));
export type TransactionId = ValueOf<typeof TransactionId>;

export const PprIds = rsp('PprIds', bitString({ pprUpdateControl: 0, ppr1: 1, ppr2: 2 }));
export type PprIds = ValueOf<typeof PprIds>;

export const OperatorId = rsp(
  'OperatorId',
  sequence({
    mccMnc: octetString(3),
    gid1: optional(octetString()),
    gid2: optional(octetString()),
  }),
);
export type OperatorId = ValueOf<typeof OperatorId>;

export const IconType = rsp('IconType', integer({ jpg: 0, png: 1 }));
export type IconType = ValueOf<typeof IconType>;
export const ProfileState = rsp('ProfileState', integer({ disabled: 0, enabled: 1 }));
export type ProfileState = ValueOf<typeof ProfileState>;
export const ProfileClass = rsp('ProfileClass', integer({ test: 0, provisioning: 1, operational: 2 }));
export type ProfileClass = ValueOf<typeof ProfileClass>;

export const NotificationEvent = rsp(
  'NotificationEvent',
  bitString({ notificationInstall: 0, notificationEnable: 1, notificationDisable: 2, notificationDelete: 3 }),
);
export type NotificationEvent = ValueOf<typeof NotificationEvent>;

export const NotificationConfigurationInformation = rsp(
  'NotificationConfigurationInformation',
  sequence({ profileManagementOperation: NotificationEvent, notificationAddress: UTF8String }),
);
export type NotificationConfigurationInformation = ValueOf<typeof NotificationConfigurationInformation>;

/** `OPENTYPE ::= CLASS {&typeId OBJECT IDENTIFIER, &Type}` is used only here, inline. */
export const VendorSpecificExtension = rsp(
  'VendorSpecificExtension',
  sequenceOf(sequence({ vendorOid: tag(0, OBJECT_IDENTIFIER), vendorSpecificData: tag(1, OPEN_TYPE) })),
);
export type VendorSpecificExtension = ValueOf<typeof VendorSpecificExtension>;

export const DpProprietaryData = rsp('DpProprietaryData', sequence({ dpOid: OBJECT_IDENTIFIER }));
export type DpProprietaryData = ValueOf<typeof DpProprietaryData>;

export const NotificationMetadata = rsp(
  'NotificationMetadata',
  tag(
    47,
    sequence({
      seqNumber: tag(0, integer()),
      profileManagementOperation: tag(1, NotificationEvent),
      notificationAddress: UTF8String,
      iccid: optional(Iccid),
    }),
  ),
);
export type NotificationMetadata = ValueOf<typeof NotificationMetadata>;

// Object identifiers of the module (value assignments, not types).
export const id_rsp = '2.23.146.1';
export const id_rsp_cert_objects = `${id_rsp}.2`;
export const id_rspExt = `${id_rsp_cert_objects}.0`;
export const id_rspRole = `${id_rsp_cert_objects}.1`;
export const id_rspRole_ci = `${id_rspRole}.0`;
export const id_rspRole_euicc = `${id_rspRole}.1`;
export const id_rspRole_eum = `${id_rspRole}.2`;
export const id_rspRole_dp_tls = `${id_rspRole}.3`;
export const id_rspRole_dp_auth = `${id_rspRole}.4`;
export const id_rspRole_dp_pb = `${id_rspRole}.5`;
export const id_rspRole_ds_tls = `${id_rspRole}.6`;
export const id_rspRole_ds_auth = `${id_rspRole}.7`;
export const id_rsp_expDate = `${id_rspExt}.1`;
export const id_rsp_totalPartialCrlNumber = `${id_rspExt}.2`;
export const id_rsp_partialCrlNumber = `${id_rspExt}.3`;
