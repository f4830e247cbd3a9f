/** eIM Configuration Operations (SGP.32 5.9.x: addEim, deleteEim, updateEim, listEim). */
import type { Eco, EimConfigurationData, EuiccResultData } from '@esim/asn1';
import type { Card } from './card.js';
import {
  addEim,
  checkEimConfiguration,
  configurationOf,
  eimIdOf,
  eimRecord,
  EimConfigurationError,
  findEim,
} from './eim-configuration.js';

function updateEim(card: Card, data: EimConfigurationData): EuiccResultData {
  const record = findEim(card, data.eimId);
  if (!record) return { updateEimResult: 1 };
  const defined = Object.fromEntries(Object.entries(data).filter(([, v]) => v !== undefined));
  const merged = { ...configurationOf(record), ...defined } as EimConfigurationData;
  const error = checkEimConfiguration(card, merged);
  if (error !== undefined) return { updateEimResult: error };
  // A lower counter would let the eIM's old packages be replayed.
  if (data.counterValue !== undefined && data.counterValue < record.counterValue) {
    return { updateEimResult: EimConfigurationError.counterValueOutOfRange };
  }
  const updated = eimRecord(merged, data.counterValue ?? record.counterValue, record.associationToken);
  card.state.eims = card.state.eims.map((e) => (e === record ? updated : e));
  return { updateEimResult: 0 };
}

function deleteEim(card: Card, eimId: string): EuiccResultData {
  const record = findEim(card, eimId);
  if (!record) return { deleteEimResult: 1 };
  card.state.eims = card.state.eims.filter((e) => e !== record);
  return { deleteEimResult: card.state.eims.length === 0 ? 2 : 0 };
}

export function executeEco(card: Card, eco: Eco): EuiccResultData {
  if (eco.addEim) {
    const outcome = addEim(card, eco.addEim);
    if ('error' in outcome) return { addEimResult: { addEimResultCode: outcome.error } };
    return {
      addEimResult:
        outcome.token !== undefined ? { associationToken: outcome.token } : { addEimResultCode: 0 },
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
  return { processingTerminated: 2 };
}
