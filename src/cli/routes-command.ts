// Placeholder until the routes command lands; replaced by its owner.
export function run(_argv: string[]): Promise<number> {
  return Promise.reject(new Error('the routes command is not built yet'));
}
