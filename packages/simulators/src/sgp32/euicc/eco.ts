/** eIM Configuration Operations (SGP.32 5.9.x: addEim, deleteEim, updateEim, listEim). */
import {
  DeleteEimResult,
  UpdateEimResult,
  type Eco,
  type EimConfigurationData,
  type EuiccResultData,
} from '@esim/asn1';
import type { Card } from './card.js';
import { UNKNOWN_OR_DAMAGED_COMMAND } from './operation-status.js';
import {
  addEim,
  checkEimConfiguration,
  configurationOf,
  eimIdOf,
  eimRecord,
  findEim,
} from './eim-configuration.js';

const Update = UpdateEimResult.values;
const Delete = DeleteEimResult.values;
/** AddEimResult.addEimResultCode ok. */
const ADD_EIM_OK = 0;

function updateEim(card: Card, data: EimConfigurationData): EuiccResultData {
  const record = findEim(card, data.eimId);
  if (!record) return { updateEimResult: Update.eimNotFound };
  const defined = Object.fromEntries(Object.entries(data).filter(([, v]) => v !== undefined));
  const merged = { ...configurationOf(record), ...defined } as EimConfigurationData;
  const error = checkEimConfiguration(card, merged);
  if (error !== undefined) return { updateEimResult: error };
  // A lower counter would let the eIM's old packages be replayed.
  if (data.counterValue !== undefined && data.counterValue < record.counterValue) {
    return { updateEimResult: Update.counterValueOutOfRange };
  }
  const updated = eimRecord(merged, data.counterValue ?? record.counterValue, record.associationToken);
  card.state.eims = card.state.eims.map((e) => (e === record ? updated : e));
  return { updateEimResult: Update.ok };
}

function deleteEim(card: Card, eimId: string): EuiccResultData {
  const record = findEim(card, eimId);
  if (!record) return { deleteEimResult: Delete.eimNotFound };
  card.state.eims = card.state.eims.filter((e) => e !== record);
  return { deleteEimResult: card.state.eims.length === 0 ? Delete.lastEimDeleted : Delete.ok };
}

export function executeEco(card: Card, eco: Eco): EuiccResultData {
  if (eco.addEim) {
    const outcome = addEim(card, eco.addEim);
    if ('error' in outcome) return { addEimResult: { addEimResultCode: outcome.error } };
    return {
      addEimResult:
        outcome.token !== undefined ? { associationToken: outcome.token } : { addEimResultCode: ADD_EIM_OK },
    };
  }
  if (eco.deleteEim) return deleteEim(card, eco.deleteEim.eimId);
  if (eco.updateEim) return updateEim(card, eco.updateEim);
  if (eco.listEim) {
    return {
      listEimResult: {
        eimIdList: card.state.eims.map((e) => {
          const c = configurationOf(e);
          return { eimId: eimIdOf(e), ...(c.eimIdType !== undefined ? { eimIdType: c.eimIdType } : {}) };
        }),
      },
    };
  }
  return { processingTerminated: UNKNOWN_OR_DAMAGED_COMMAND };
}
