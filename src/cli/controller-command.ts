// Placeholder until the controller command lands; replaced by its owner.
export function run(_argv: string[]): Promise<number> {
  return Promise.reject(new Error('the controller command is not built yet'));
}
