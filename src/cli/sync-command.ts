// Placeholder until the sync command lands; replaced by its owner.
export function run(_argv: string[]): Promise<number> {
  return Promise.reject(new Error('the sync command is not built yet'));
}
