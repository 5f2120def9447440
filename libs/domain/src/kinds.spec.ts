import { amountProblem, minorUnits } from './kinds';

describe('amountProblem: an amount as its kind and currency allow', () => {
  const payment = { key: 'decompte_provisoire', amount: 'payment' } as const;
  const change = { key: 'avenant', amount: 'contract_change' } as const;

  it('takes as many decimals as the currency has, however binary floating point stores them', () => {
    for (const value of [2.675, 0.35, 1.005, 0.119, 412_500.25, 99_999_999_999.999])
      expect([value, amountProblem(payment, { value, currency: 'TND' })]).toEqual([value, null]);
    expect(amountProblem(payment, { value: 0.0005, currency: 'TND' })).toEqual({
      field: 'amount.value',
      message: 'An amount in TND has at most 3 decimals.',
    });
    expect(amountProblem(payment, { value: 5.5, currency: 'KRW' })).toEqual({
      field: 'amount.value',
      message: 'An amount in KRW has no decimals.',
    });
    expect(amountProblem(payment, { value: 10.01, currency: 'EUR' })).toBeNull();
  });

  it('refuses a contract change of zero and a payment that is not positive', () => {
    expect(amountProblem(change, { value: 0, currency: 'TND' })?.field).toBe('amount.value');
    expect(amountProblem(change, { value: -1250.5, currency: 'TND' })).toBeNull();
    expect(amountProblem(payment, { value: 0, currency: 'TND' })?.field).toBe('amount.value');
  });

  it('knows the minor units of the deployments’ currencies', () => {
    expect([minorUnits('KRW'), minorUnits('TND'), minorUnits('EUR')]).toEqual([0, 3, 2]);
  });
});
