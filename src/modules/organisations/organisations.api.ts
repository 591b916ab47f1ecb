/**
 * JSON routes of organisations and their services. Each route demands the roles the policy gives its
 * action; which organisation a person may reach is then the service's (and the policy's) business.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { currentUser } from '../accounts/index.js';
import { problemSchema } from '../../api/problem-schema.js';
import { refuseInvisibleOrganisation } from './organisations.hooks.js';
import { routeConfigFor } from './organisations.policy.js';
import type { OrganisationRow, ServiceRow } from './organisations.repository.js';
import {
  createOrganisationBody,
  createServiceBody,
  listQuery,
  organisationIdParams,
  organisationListResponse,
  organisationResponse,
  serviceIdParams,
  serviceListResponse,
  serviceResponse,
  updateOrganisationBody,
  updateServiceBody,
} from './organisations.schemas.js';
import type { OrganisationsService } from './organisations.service.js';

const organisationJson = (row: OrganisationRow) => ({
  ...row,
  createdAt: row.createdAt.toISOString(),
  updatedAt: row.updatedAt.toISOString(),
});

const serviceJson = (row: ServiceRow) => ({
  ...row,
  createdAt: row.createdAt.toISOString(),
  updatedAt: row.updatedAt.toISOString(),
});

export function registerOrganisationsApi(app: FastifyInstance, deps: { organisations: OrganisationsService }): void {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const { organisations } = deps;
  const tags = ['organisations'];
  const problems = { 400: problemSchema, 404: problemSchema };

  api.get(
    '/api/organisations',
    {
      config: routeConfigFor('view'),
      schema: {
        tags,
        summary: 'Organisations the caller may see, by name; search by name or code, filter by type',
        querystring: listQuery,
        response: { 200: organisationListResponse, 400: problemSchema },
      },
    },
    async (request) => {
      const { rows, total } = await organisations.list(currentUser(request), request.query);
      const { limit, offset } = request.query;
      return { organisations: rows.map(organisationJson), total, limit, offset };
    },
  );

  api.post(
    '/api/organisations',
    {
      config: routeConfigFor('create'),
      schema: {
        tags,
        summary: 'Add an organisation (administrators); its code is stored upper-case and must be unique',
        body: createOrganisationBody,
        response: { 201: organisationResponse, 400: problemSchema, 409: problemSchema },
      },
    },
    async (request, reply) =>
      reply.status(201).send(organisationJson(await organisations.create(currentUser(request), request.body))),
  );

  api.get(
    '/api/organisations/:id',
    {
      preValidation: refuseInvisibleOrganisation,
      config: routeConfigFor('view'),
      schema: {
        tags,
        summary: 'One organisation',
        params: organisationIdParams,
        response: { 200: organisationResponse, ...problems },
      },
    },
    async (request) => organisationJson(await organisations.get(currentUser(request), request.params.id)),
  );

  api.patch(
    '/api/organisations/:id',
    {
      preValidation: refuseInvisibleOrganisation,
      config: routeConfigFor('update'),
      schema: {
        tags,
        summary: 'Change an organisation (administrators); attributes are merged, null removes one',
        params: organisationIdParams,
        body: updateOrganisationBody,
        response: { 200: organisationResponse, ...problems, 409: problemSchema },
      },
    },
    async (request) =>
      organisationJson(await organisations.update(currentUser(request), request.params.id, request.body)),
  );

  api.get(
    '/api/organisations/:id/services',
    {
      preValidation: refuseInvisibleOrganisation,
      config: routeConfigFor('view'),
      schema: {
        tags,
        summary: 'The services of an organisation, by name',
        params: organisationIdParams,
        response: { 200: serviceListResponse, ...problems },
      },
    },
    async (request) => ({
      services: (await organisations.listServices(currentUser(request), request.params.id)).map(serviceJson),
    }),
  );

  api.post(
    '/api/organisations/:id/services',
    {
      preValidation: refuseInvisibleOrganisation,
      config: routeConfigFor('manageServices'),
      schema: {
        tags,
        summary: 'Add a service (administrators, or members of the organisation)',
        params: organisationIdParams,
        body: createServiceBody,
        response: { 201: serviceResponse, ...problems, 409: problemSchema },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(serviceJson(await organisations.createService(currentUser(request), request.params.id, request.body))),
  );

  api.patch(
    '/api/organisations/:id/services/:serviceId',
    {
      preValidation: refuseInvisibleOrganisation,
      config: routeConfigFor('manageServices'),
      schema: {
        tags,
        summary: 'Change a service (administrators, or members of the organisation)',
        params: serviceIdParams,
        body: updateServiceBody,
        response: { 200: serviceResponse, ...problems, 409: problemSchema },
      },
    },
    async (request) => {
      const { id, serviceId } = request.params;
      return serviceJson(await organisations.updateService(currentUser(request), id, serviceId, request.body));
    },
  );
}
