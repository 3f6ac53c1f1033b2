// The benchmarks' stream over the sample customers: a mapping like a real one, with conversions,
// expressions, a format check and a nested target, so transform cost is not flattered by a bare
// copy.

export const customerRecordSchema = {
  type: 'object',
  required: ['id', 'email', 'name'],
  properties: {
    id: { type: 'string' },
    email: { type: 'string', format: 'email' },
    name: { type: 'string' },
    country: { type: ['string', 'null'] },
    segment: { type: 'string' },
    external_ref: { type: 'string' },
    signed_up_at: { type: ['string', 'null'], format: 'date-time' },
    lifetime_value: { type: 'number' },
    attributes: { type: ['object', 'null'] },
    preferences: {
      type: 'object',
      properties: { plan: { type: 'object', properties: { name: { type: 'string' } } } },
    },
  },
};

export const customerMappings = [
  { target_field: 'id', field_type: 'field', column: { name: 'id' } },
  { target_field: 'email', field_type: 'expression', expression: { expr: 'lower(email)' } },
  {
    target_field: 'name',
    field_type: 'expression',
    expression: { expr: 'CONCATENATE(PROPER(full_name), " (", plan, ")")' },
  },
  { target_field: 'country', field_type: 'field', column: { name: 'country' } },
  {
    target_field: 'segment',
    field_type: 'expression',
    expression: { expr: 'IF(float(lifetime_value ?? "0") > 1000, "vip", "regular")' },
  },
  { target_field: 'external_ref', field_type: 'field', column: { name: 'external_ref' } },
  { target_field: 'signed_up_at', field_type: 'field', column: { name: 'signup_at' } },
  {
    target_field: 'lifetime_value',
    field_type: 'expression',
    expression: { expr: 'float(lifetime_value ?? "0")' },
  },
  { target_field: 'attributes', field_type: 'field', column: { name: 'attributes' } },
  { target_field: 'preferences.plan.name', field_type: 'field', column: { name: 'plan' } },
];
