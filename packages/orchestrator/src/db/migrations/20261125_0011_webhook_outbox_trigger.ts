import type { Knex } from 'knex';

/**
 * Webhook deliveries are written by the database itself: every audit log entry (and every state
 * change of an operation, a profile, an eUICC or a device writes one, in the transaction of the
 * change) is copied into the outbox for each enabled subscription that wants its type. So a
 * change is never committed without its deliveries, whichever module made it (the core, a stack).
 * Types match exactly, by prefix ("operation.*"), or all when the subscription lists none.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    create function webhook_enqueue() returns trigger language plpgsql as $$
    declare
      v_eid text;
      v_device uuid;
    begin
      if not exists (select 1 from webhook_subscriptions s where s.enabled
          and (s.event_types = '{}' or new.action = any(s.event_types)
               or split_part(new.action, '.', 1) || '.*' = any(s.event_types))) then
        return new;
      end if;
      v_eid := case new.entity_type
        when 'operation' then (select o.eid from operations o where o.id::text = new.entity_id)
        when 'euicc' then new.entity_id
        when 'profile' then (select p.eid from profiles p where p.iccid = new.entity_id)
        when 'device' then (select d.eid from devices d where d.id::text = new.entity_id)
      end;
      v_device := case when new.entity_type = 'device' then new.entity_id::uuid
        else (select d.id from devices d where d.eid = v_eid) end;
      insert into webhook_deliveries (subscription_id, event_type, payload)
      select s.id, new.action, jsonb_build_object(
          'id', new.id, 'type', new.action, 'at', new.at, 'actor', new.actor,
          'entity', jsonb_build_object('type', new.entity_type, 'id', new.entity_id),
          'eid', v_eid, 'deviceId', v_device,
          'fromState', new.from_state, 'toState', new.to_state,
          'reason', new.reason, 'details', new.details)
        from webhook_subscriptions s
       where s.enabled and (s.event_types = '{}' or new.action = any(s.event_types)
             or split_part(new.action, '.', 1) || '.*' = any(s.event_types));
      return new;
    end $$`);
  await knex.raw(
    `create trigger audit_log_webhooks after insert on audit_log for each row execute function webhook_enqueue()`,
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`drop trigger if exists audit_log_webhooks on audit_log`);
  await knex.raw(`drop function if exists webhook_enqueue()`);
}
