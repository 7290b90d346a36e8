// The id every part of an arrangement uses (actors, zones, rules, clauses, issues):
// lower-case letters, digits and hyphens. Here because policy imports nothing, so both
// the arrangement loader and the talks (which may import only policy) can share it.
export const ID = /^[a-z0-9][a-z0-9-]*$/;
