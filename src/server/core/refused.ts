// Why a server will not start: the record is another arrangement's or altered on disk,
// the arrangement file changed under it, or its genesis lacks an endorsement (exit 2).
export class DeploymentRefused extends Error {}
