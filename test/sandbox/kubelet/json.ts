// Pod specs and statuses arrive as plain JSON objects, as the API server stores them.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = Record<string, any>;
