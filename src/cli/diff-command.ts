// Placeholder until the diff command lands; replaced by its owner.
export function run(_argv: string[]): Promise<number> {
  return Promise.reject(new Error('the diff command is not built yet'));
}
