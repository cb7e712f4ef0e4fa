// Placeholder until the translate command lands; replaced by its owner.
export function run(_argv: string[]): Promise<number> {
  return Promise.reject(new Error('the translate command is not built yet'));
}
