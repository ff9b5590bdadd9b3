jest.setTimeout(20_000);
