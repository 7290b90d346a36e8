// Errors a request can meet, each with its HTTP status and, where one field is at
// fault, that field's path. The error handler turns them into the API's error body:
// { "error": "...", "issues": [{ "path": "...", "message": "..." }] }.

export interface PathIssue {
  path: string;
  message: string;
}

export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly issues: PathIssue[] = [],
  ) {
    super(message);
  }
}

export class BadRequest extends HttpError {
  constructor(message: string, issues: PathIssue[] = []) {
    super(400, message, issues);
  }
}

function at(message: string, path?: string): PathIssue[] {
  return path === undefined ? [] : [{ path, message }];
}

export class Forbidden extends HttpError {
  constructor(message: string, path?: string) {
    super(403, message, at(message, path));
  }
}

export class NotFound extends HttpError {
  constructor(message: string, path?: string) {
    super(404, message, at(message, path));
  }
}

export class Conflict extends HttpError {
  constructor(message: string, path?: string) {
    super(409, message, at(message, path));
  }
}

export class Unavailable extends HttpError {
  constructor(message: string) {
    super(503, message);
  }
}
