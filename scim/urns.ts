// RFC 7643 §3 / RFC 7644 §3: the URNs used on the wire, verbatim.
export const URN = {
  User: 'urn:ietf:params:scim:schemas:core:2.0:User',
  EnterpriseUser: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User',
  Group: 'urn:ietf:params:scim:schemas:core:2.0:Group',
  ListResponse: 'urn:ietf:params:scim:api:messages:2.0:ListResponse',
  PatchOp: 'urn:ietf:params:scim:api:messages:2.0:PatchOp',
  Error: 'urn:ietf:params:scim:api:messages:2.0:Error',
  SearchRequest: 'urn:ietf:params:scim:api:messages:2.0:SearchRequest',
  ServiceProviderConfig: 'urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig',
  ResourceType: 'urn:ietf:params:scim:schemas:core:2.0:ResourceType',
  Schema: 'urn:ietf:params:scim:schemas:core:2.0:Schema',
} as const;

export const SCIM_CONTENT_TYPE = 'application/scim+json';
