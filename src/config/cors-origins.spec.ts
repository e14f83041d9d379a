import { EnvironmentError, parseOrigins, validateEnvironment } from 'src/config/env.validation';

describe('CORS_ORIGINS', () => {
  it('defaults to none (CORS off) and takes a comma-separated list of exact origins', () => {
    expect(validateEnvironment({}).corsOrigins).toEqual([]);
    expect(validateEnvironment({ CORS_ORIGINS: 'https://dash.example.com, http://localhost:5173' }).corsOrigins).toEqual([
      'https://dash.example.com',
      'http://localhost:5173',
    ]);
  });

  it.each(['*', 'dash.example.com', 'https://dash.example.com/', 'https://dash.example.com/path', 'ftp://x.example.com'])(
    'refuses %s, naming the variable',
    (value) => {
      expect(parseOrigins(value)).toBeNull();
      expect(() => validateEnvironment({ CORS_ORIGINS: value })).toThrow(EnvironmentError);
      expect(() => validateEnvironment({ CORS_ORIGINS: value })).toThrow(/CORS_ORIGINS/);
    },
  );
});
