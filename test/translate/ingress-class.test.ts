import { expect } from 'chai';
import { classOwnershipProblem } from '../../src/translate/index.ts';
import { allRoutes, ingress, ingressClass, rule, run, service } from './builders.ts';

const KIC = 'ingress-controllers.konghq.com/kong';

describe('translate: ingress class selection', () => {
  const backend = service('web');
  const spec = { rules: [rule('a.example.com', ['/', 'Prefix', 'web', 80])] };
  const cases: Array<{ name: string; annotations?: Record<string, string>; className?: string; defaultClass?: boolean; served: boolean }> = [
    { name: 'spec.ingressClassName equal to the class', className: 'kong', served: true },
    { name: 'another spec.ingressClassName', className: 'nginx', served: false },
    { name: 'legacy annotation equal to the class', annotations: { 'kubernetes.io/ingress.class': 'kong' }, served: true },
    { name: 'legacy annotation wins over the field', annotations: { 'kubernetes.io/ingress.class': 'nginx' }, className: 'kong', served: false },
    { name: 'legacy annotation wins over a foreign field', annotations: { 'kubernetes.io/ingress.class': 'kong' }, className: 'nginx', served: true },
    { name: 'empty legacy annotation falls back to the field', annotations: { 'kubernetes.io/ingress.class': '' }, className: 'kong', served: true },
    { name: 'class-less, own class is the default', defaultClass: true, served: true },
    { name: 'class-less, own class is not the default', defaultClass: false, served: false },
  ];
  for (const c of cases) {
    it(`${c.served ? 'serves' : 'ignores'}: ${c.name}`, () => {
      const ing = ingress('site', spec, c.annotations ? { annotations: c.annotations } : {});
      if (c.className === undefined) delete ing.spec?.ingressClassName;
      else if (ing.spec) ing.spec.ingressClassName = c.className;
      const result = run({ ingresses: [ing], services: [backend], ingressClasses: [ingressClass('kong', c.defaultClass ?? false)] });
      expect(allRoutes(result)).to.have.length(c.served ? 1 : 0);
      expect(result.failures, 'other classes are ignored silently').to.deep.equal([]);
    });
  }

  it('ignores class-less Ingresses when only another class is the default', () => {
    const ing = ingress('site', spec);
    delete ing.spec?.ingressClassName;
    const result = run({ ingresses: [ing], services: [backend], ingressClasses: [ingressClass('kong'), ingressClass('nginx', true)] });
    expect(allRoutes(result)).to.have.length(0);
  });

  it('serves the class named in the settings', () => {
    const ing = ingress('site', { ...spec, ingressClassName: 'edge' });
    expect(allRoutes(run({ ingresses: [ing], services: [backend] }, { ingressClass: 'edge' }))).to.have.length(1);
    expect(allRoutes(run({ ingresses: [ing], services: [backend] }))).to.have.length(0);
  });

  describe('class ownership (IngressClass spec.controller)', () => {
    const served = (ing: ReturnType<typeof ingress>, classes: ReturnType<typeof ingressClass>[], settings = {}) =>
      allRoutes(run({ ingresses: [ing], services: [backend], ingressClasses: classes }, settings)).length === 1;

    it('does not serve a class that another controller owns, even by its name', () => {
      expect(served(ingress('site', spec), [ingressClass('kong', false, KIC)])).to.equal(false);
    });

    it('does not serve the legacy annotation of a class another controller owns', () => {
      const ing = ingress('site', spec, { annotations: { 'kubernetes.io/ingress.class': 'kong' } });
      delete ing.spec?.ingressClassName;
      expect(served(ing, [ingressClass('kong', false, KIC)])).to.equal(false);
      expect(served(ing, [ingressClass('kong')])).to.equal(true);
    });

    it('does not serve class-less Ingresses when the default class is another controller\'s', () => {
      const ing = ingress('site', spec);
      delete ing.spec?.ingressClassName;
      expect(served(ing, [ingressClass('kong', true, KIC)])).to.equal(false);
      expect(served(ing, [ingressClass('kong', true)])).to.equal(true);
    });

    it('serves a class of a configured controller name', () => {
      const ing = ingress('site', { ...spec, ingressClassName: 'edge' });
      const classes = [ingressClass('edge', false, 'example.com/edge')];
      expect(served(ing, classes, { ingressClass: 'edge', controllerName: 'example.com/edge' })).to.equal(true);
      expect(served(ing, classes, { ingressClass: 'edge' })).to.equal(false);
    });

    it('names the owning controller and the fix when the class is not meshdoor\'s', () => {
      const own = { ingressClass: 'kong', controllerName: 'meshdoor.dev/ingress-controller' };
      const lookup = (c: ReturnType<typeof ingressClass>) => ({ lookupIngressClass: (n: string) => (n === c.metadata?.name ? c : undefined) });
      expect(classOwnershipProblem(own, lookup(ingressClass('kong', false, KIC))))
        .to.include(`belongs to controller ${KIC}`).and.include('spec.ingressClass');
      expect(classOwnershipProblem(own, lookup(ingressClass('kong')))).to.equal(undefined);
      expect(classOwnershipProblem(own, lookup(ingressClass('other', false, KIC))), 'no IngressClass object: served by name').to.equal(undefined);
    });
  });
});
