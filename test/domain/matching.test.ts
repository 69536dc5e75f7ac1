import { describe, expect, test } from 'vitest';
import { sampleEvent } from '../../src/domain/event.js';
import {
  ANY_MATCH_KEY,
  eventFilterValues,
  eventMatchKeys,
  matchesFilters,
  matchVerdict,
  webhookMatchKeys,
} from '../../src/domain/matching.js';
import {
  CASE_INSENSITIVE_DIMENSIONS,
  emptyFilters,
  type FilterDimension,
  foldFilterValue,
} from '../../src/domain/webhook.js';

// The sample event: integrations int_pg_prod (postgresql) and int_aws_prod (aws-account), resource types
// postgresql-database and aws-s3-bucket, resources res_orders and res_invoices, permissions ReadOnly and
// s3:GetObject, flow flow_prod_db, no bundle, requester dana.obrien@example.com, grantee type user.
const event = sampleEvent('RequestApproved'); // one manual approval
const bundled = sampleEvent('RequestCreated');
bundled.data.access_bundle = { id: 'bundle_db', name: 'DB bundle' };

const cases: [FilterDimension, string[], string[]][] = [
  ['integrationIds', ['int_aws_prod'], ['int_other']],
  ['integrationTypes', ['postgresql'], ['mysql']],
  ['resourceTypes', ['aws-s3-bucket'], ['aws-ec2']],
  ['resourceIds', ['res_orders'], ['res_payroll']],
  ['permissions', ['s3:getobject'], ['admin']],
  ['accessFlowIds', ['flow_prod_db'], ['flow_staging']],
  ['requesterEmails', ['dana.obrien@example.com'], ['someone@example.com']],
  ['granteeTypes', ['user'], ['group']],
  ['approvalTypes', ['manual'], ['automatic']],
];

describe('filters', () => {
  test.each(cases)('%s: matches %j, not %j', (dimension, matching, other) => {
    const filters = emptyFilters();
    filters[dimension] = matching;
    expect(matchesFilters(filters, event)).toBe(true);
    filters[dimension] = other;
    expect(matchesFilters(filters, event)).toBe(false);
    // OR inside a dimension
    filters[dimension] = [...other, ...matching];
    expect(matchesFilters(filters, event)).toBe(true);
  });

  test('bundleIds: matches the bundle, not another, and never an event without a bundle', () => {
    const filters = emptyFilters();
    filters.bundleIds = ['bundle_db'];
    expect(matchesFilters(filters, bundled)).toBe(true);
    expect(matchesFilters(filters, event)).toBe(false);
    filters.bundleIds = ['bundle_other'];
    expect(matchesFilters(filters, bundled)).toBe(false);
  });

  test('empty filters match everything; dimensions combine with AND', () => {
    const filters = emptyFilters();
    expect(matchesFilters(filters, event)).toBe(true);
    filters.integrationTypes = ['postgresql'];
    filters.permissions = ['readonly'];
    expect(matchesFilters(filters, event)).toBe(true);
    filters.granteeTypes = ['group'];
    expect(matchesFilters(filters, event)).toBe(false);
  });

  test('requester emails compare case-insensitively (filters are stored lower-cased)', () => {
    const filters = emptyFilters();
    filters.requesterEmails = ['dana.obrien@example.com'];
    const shouting = sampleEvent('RequestCreated');
    shouting.data.requester.email = 'Dana.OBrien@Example.COM';
    expect(matchesFilters(filters, shouting)).toBe(true);
  });

  test('type-like dimensions fold case on both sides; id dimensions compare exactly', () => {
    const shouting = sampleEvent('RequestApproved');
    const group = shouting.data.access_groups[0];
    if (!group) throw new Error('the sample has access groups');
    group.integration.type = 'PostgreSQL';
    group.integration.id = 'INT_PG_PROD';
    const approval = shouting.data.approvals[0];
    if (approval) approval.type = 'manual';
    shouting.data.grantee.type = 'User';
    const values = eventFilterValues(shouting);
    expect(values.integrationTypes).toContain('postgresql');
    expect(values.granteeTypes).toEqual(['user']);
    expect(values.integrationIds).toContain('INT_PG_PROD');
    // What a saved filter holds: the admin's "POSTGRESQL" folded, the id kept as typed.
    const filters = emptyFilters();
    filters.integrationTypes = [foldFilterValue('integrationTypes', 'POSTGRESQL')];
    filters.integrationIds = [foldFilterValue('integrationIds', 'int_pg_prod')];
    expect(filters.integrationIds).toEqual(['int_pg_prod']);
    expect(matchesFilters(filters, shouting)).toBe(false);
    filters.integrationIds = [foldFilterValue('integrationIds', 'INT_PG_PROD')];
    expect(matchesFilters(filters, shouting)).toBe(true);
    expect([...CASE_INSENSITIVE_DIMENSIONS].sort()).toEqual([
      'approvalTypes',
      'granteeTypes',
      'integrationTypes',
      'permissions',
      'requesterEmails',
      'resourceTypes',
    ]);
  });

  test('a verdict names the trigger and every blocking dimension, in order', () => {
    const filters = emptyFilters();
    filters.approvalTypes = ['automatic'];
    filters.integrationTypes = ['mysql', 'postgresql'];
    filters.granteeTypes = ['group'];
    const values = eventFilterValues(event);
    expect(matchVerdict({ triggers: ['RequestApproved'], filters }, 'RequestApproved', values)).toEqual({
      triggerMatched: true,
      blockedBy: ['granteeTypes', 'approvalTypes'],
      matched: false,
    });
    expect(
      matchVerdict({ triggers: ['RequestCreated'], filters: emptyFilters() }, 'RequestApproved', values),
    ).toEqual({ triggerMatched: false, blockedBy: [], matched: false });
    expect(
      matchVerdict({ triggers: ['RequestApproved'], filters: emptyFilters() }, 'RequestApproved', values),
    ).toEqual({ triggerMatched: true, blockedBy: [], matched: true });
  });

  test('manually approved only: a request without approvals does not match', () => {
    const filters = emptyFilters();
    filters.approvalTypes = ['manual'];
    expect(matchesFilters(filters, sampleEvent('RequestCreated'))).toBe(false);
  });
});

describe('match keys (what stores index so matching reads only webhooks that may match)', () => {
  const eventKeys = new Set(eventMatchKeys(eventFilterValues(event)));
  const sharesKey = (filters: ReturnType<typeof emptyFilters>) =>
    webhookMatchKeys(filters).some((k) => eventKeys.has(k));

  test('a webhook without filters has only the any-key, which every event has', () => {
    expect(webhookMatchKeys(emptyFilters())).toEqual([ANY_MATCH_KEY]);
    expect(eventKeys.has(ANY_MATCH_KEY)).toBe(true);
  });

  test.each(cases)(
    '%s: a matching filter shares a key with the event, a failing one does not',
    (dimension, matching, other) => {
      const filters = emptyFilters();
      filters[dimension] = matching;
      expect(sharesKey(filters)).toBe(true);
      filters[dimension] = other;
      expect(sharesKey(filters)).toBe(false);
    },
  );

  test('every webhook that matches shares a key with the event (so no index lookup can miss it)', () => {
    const options: [FilterDimension, string[]][] = cases.map(([d, matching, other]) => [
      d,
      [...matching, ...other],
    ]);
    for (let mask = 0; mask < 1 << 5; mask++) {
      const filters = emptyFilters();
      options.slice(0, 5).forEach(([d, values], i) => {
        if (mask & (1 << i)) filters[d] = values;
      });
      if (matchesFilters(filters, event)) expect(sharesKey(filters)).toBe(true);
    }
  });

  test('keys tell dimensions apart: the same value in another dimension is another key', () => {
    const filters = emptyFilters();
    filters.resourceIds = ['int_pg_prod']; // an integration id of the event, as a resource id
    expect(sharesKey(filters)).toBe(false);
  });
});
