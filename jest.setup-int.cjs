// Integration specs start real services against the real broker and database.
jest.setTimeout(90_000);
