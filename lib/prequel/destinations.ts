// The SaaS's destinations through the Import API, each with the record_schema that field mapping
// targets.
import 'server-only';
import type { z } from 'zod';
import { type DestinationCreateSchema, DestinationSchema } from './contract/destination';
import { crudEndpoints } from './crud';

const destinations = crudEndpoints<
  typeof DestinationSchema,
  z.input<typeof DestinationCreateSchema>
>({
  key: 'destination',
  plural: 'destinations',
  path: '/import/destinations',
  schema: DestinationSchema,
});
/** Creating checks that the endpoint's host is reachable unless `skipValidation`. */
export const createDestination = destinations.create;
export const listDestinations = destinations.list;
export const getDestination = destinations.get;
export const updateDestination = destinations.update;
export const deleteDestination = destinations.remove;
