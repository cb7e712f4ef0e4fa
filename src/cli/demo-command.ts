// Placeholder until the demo command lands; replaced by its owner.
export function run(_argv: string[]): Promise<number> {
  return Promise.reject(new Error('the demo command is not built yet'));
}
